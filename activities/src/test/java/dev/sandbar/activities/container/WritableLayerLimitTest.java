package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link WritableLayerLimit} against the real daemon, judged by what the daemon says it runs. */
@ExtendWith(DockerDaemonExtension.class)
class WritableLayerLimitTest {

  private final DockerClient docker;

  WritableLayerLimitTest(DockerClient docker) {
    this.docker = docker;
  }

  @Test
  void overlay2OffXfsIsReportedUnsupportedWithItsBackingFileSystem() {
    Info info = docker.infoCmd().exec();
    String backing =
        info.getDriverStatuses().stream()
            .filter(pair -> pair.size() == 2 && pair.get(0).equals("Backing Filesystem"))
            .map(List::getLast)
            .findFirst()
            .orElse("an unknown file system");

    WritableLayerLimit limit = WritableLayerLimit.probe(docker);

    if ("overlay2".equals(info.getDriver()) && !"xfs".equals(backing)) {
      assertThat(limit.supported()).isFalse();
      assertThat(limit.description())
          .isEqualTo(
              "unsupported: storage driver overlay2 on "
                  + backing
                  + " (needs xfs mounted with pquota)");
    } else {
      // Another driver: the answer names it either way.
      assertThat(limit.description()).contains(info.getDriver());
    }
  }

  @Test
  void aSupportedLimitIsPutOnTheContainerAndTheHelperMountedReadOnly() {
    ContainerSafety safety =
        new ContainerSafety(TrustedHelper.atDefaultPath(), 1024L * 1024 * 1024, "supported (x)");

    var config = safety.applyTo(com.github.dockerjava.api.model.HostConfig.newHostConfig());

    assertThat(config.getStorageOpt()).containsEntry("size", "1073741824");
    assertThat(config.getMounts())
        .singleElement()
        .satisfies(
            mount -> {
              assertThat(mount.getTarget()).isEqualTo(TrustedHelper.CONTAINER_PATH);
              assertThat(mount.getSource()).isEqualTo("/bin/busybox");
              assertThat(mount.getReadOnly()).isTrue();
            });
    assertThat(
            ContainerSafety.defaults()
                .applyTo(com.github.dockerjava.api.model.HostConfig.newHostConfig())
                .getStorageOpt())
        .isNull();
  }
}
