package dev.sandbar.api.edge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.json.JsonMapper;

/** The text rules as the parser applies them, to values and keys at any depth. */
class SafeTextModuleTest {

  record Body(String name, Map<String, String> labels, List<String> command) {}

  private final JsonMapper mapper = JsonMapper.builder().addModule(new SafeTextModule()).build();

  @Test
  void acceptsOrdinaryTextIncludingPairedSurrogates() {
    Body body =
        mapper.readValue(
            "{\"name\": \"caf\\u00e9 \\ud83d\\ude00\", \"labels\": {\"k\": \"v\"}}", Body.class);
    assertThat(body.name()).isEqualTo("café 😀");
  }

  @Test
  void refusesNulInAValueNamingItsPath() {
    Throwable failure =
        catchThrowable(() -> mapper.readValue("{\"command\": [\"a\", \"b\\u0000\"]}", Body.class));
    assertThat(failure).isInstanceOf(UnsafeTextException.class);
    assertThat(((UnsafeTextException) failure).getPathReference()).contains("command");
  }

  @Test
  void refusesNulInAMapKeyReadFromBytes() {
    byte[] json = "{\"labels\": {\"a\\u0000\": \"v\"}}".getBytes(StandardCharsets.UTF_8);
    Throwable failure = catchThrowable(() -> mapper.readValue(json, Body.class));
    assertThat(failure).isInstanceOf(UnsafeTextException.class);
  }

  @Test
  void refusesAnUnpairedSurrogateInAMapKey() {
    Throwable failure =
        catchThrowable(() -> mapper.readValue("{\"labels\": {\"a\\udc00\": \"v\"}}", Body.class));
    assertThat(failure).isInstanceOf(UnsafeTextException.class);
    assertThat(((UnsafeTextException) failure).rule()).contains("surrogate");
  }
}
