package dev.sandbar.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.core.type.TypeReference;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StoredJsonTest {

  record Spec(String image, Map<String, String> labels) {}

  @Test
  void readsBackWhatItWroteAsTheTypeTheCallerNames() {
    Spec spec = new Spec("busybox:1", Map.of("team", "a"));

    assertThat(StoredJson.read(StoredJson.write(spec), Spec.class)).isEqualTo(spec);
    assertThat(StoredJson.read("[\"a\",\"b\"]", new TypeReference<List<String>>() {}))
        .containsExactly("a", "b");
  }

  @Test
  void ignoresPropertiesAddedByANewerVersion() {
    assertThat(StoredJson.read("{\"image\":\"x\",\"labels\":{},\"addedLater\":true}", Spec.class))
        .isEqualTo(new Spec("x", Map.of()));
  }

  @Test
  void malformedJsonIsAnUncheckedIoError() {
    assertThatThrownBy(() -> StoredJson.read("{", Spec.class))
        .isInstanceOf(UncheckedIOException.class);
  }
}
