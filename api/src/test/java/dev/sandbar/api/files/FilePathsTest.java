package dev.sandbar.api.files;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sandbar.api.problem.ApiProblem;
import java.util.List;
import org.junit.jupiter.api.Test;

class FilePathsTest {

  @Test
  void acceptsAbsoluteNormalisedPaths() {
    assertThat(FilePaths.require("/data/a b/ü.txt", false)).isEqualTo("/data/a b/ü.txt");
    assertThat(FilePaths.require("/", true)).isEqualTo("/");
    assertThat(FilePaths.require("/devices", false)).isEqualTo("/devices");
  }

  @Test
  void refusesEscapesRelativeUnnormalisedReservedAndNul() {
    for (String path :
        List.of(
            "",
            "data",
            "/data/../etc",
            "/..",
            "/data/.",
            "/data//x",
            "/data/",
            "/data/x\0y",
            "/.sandbar/tasks/t",
            "/.sandbar",
            "/proc/1/environ",
            "/sys/kernel",
            "/dev/sda",
            "/" + "a".repeat(FilePaths.MAX_PATH_BYTES))) {
      assertThatThrownBy(() -> FilePaths.require(path, false))
          .as(path)
          .isInstanceOf(ApiProblem.class);
    }
    assertThatThrownBy(() -> FilePaths.require("/", false)).isInstanceOf(ApiProblem.class);
    assertThatThrownBy(() -> FilePaths.require(null, true)).isInstanceOf(ApiProblem.class);
  }
}
