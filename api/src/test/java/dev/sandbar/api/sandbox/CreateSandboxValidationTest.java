package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejected create answers 400 problem+json naming the field, and writes nothing. */
class CreateSandboxValidationTest extends ApiIntegrationTest {

  private TestTenant tenant;

  @BeforeEach
  void setUp() {
    tenant = newTenant();
    ensureBaseImageHost();
  }

  static Stream<Arguments> invalidRequests() {
    return Stream.of(
        Arguments.of("{\"resources\": {\"cpus\": 0}}", "resources.cpus"),
        Arguments.of("{\"resources\": {\"cpus\": -2}}", "resources.cpus"),
        Arguments.of("{\"resources\": {\"cpus\": 64.5}}", "resources.cpus"),
        Arguments.of("{\"resources\": {\"memoryMb\": -512}}", "resources.memoryMb"),
        Arguments.of("{\"resources\": {\"memoryMb\": 8}}", "resources.memoryMb"),
        Arguments.of("{\"resources\": {\"memoryMb\": 262145}}", "resources.memoryMb"),
        Arguments.of(
            "{\"resources\": {\"memoryMb\": 99999999999999999999999}}", "resources.memoryMb"),
        Arguments.of("{\"resources\": {\"memoryMb\": 512.5}}", "resources.memoryMb"),
        Arguments.of("{\"resources\": {\"pids\": 15}}", "resources.pids"),
        Arguments.of("{\"resources\": {\"pids\": 65537}}", "resources.pids"),
        Arguments.of("{\"idleTimeoutSeconds\": -1}", "idleTimeoutSeconds"),
        Arguments.of("{\"idleTimeoutSeconds\": \"900\"}", "idleTimeoutSeconds"),
        Arguments.of("{\"ttlSeconds\": 2592001}", "ttlSeconds"),
        Arguments.of("{\"ttlSeconds\": -5}", "ttlSeconds"),
        Arguments.of("{\"idleAction\": \"hibernate\"}", "idleAction"),
        Arguments.of("{\"dataPath\": \"data\"}", "dataPath"),
        Arguments.of("{\"dataPath\": \"/\"}", "dataPath"),
        Arguments.of("{\"dataPath\": \"/data/../etc\"}", "dataPath"),
        Arguments.of("{\"dataPath\": \"/data//x\"}", "dataPath"),
        Arguments.of("{\"dataPath\": \"/data/\"}", "dataPath"),
        Arguments.of("{\"dataPath\": \"/data/./x\"}", "dataPath"),
        Arguments.of("{\"networkMode\": \"host\"}", "networkMode"),
        Arguments.of("{\"env\": {\"1BAD\": \"x\"}}", "env.1BAD"),
        Arguments.of("{\"env\": {\"A-B\": \"x\"}}", "env.A-B"),
        Arguments.of("{\"env\": " + manyEntries("k", 101) + "}", "env"),
        Arguments.of("{\"labels\": {\"Team\": \"x\"}}", "labels.Team"),
        Arguments.of("{\"labels\": {\"-team\": \"x\"}}", "labels.-team"),
        Arguments.of("{\"labels\": {\"team\": \"" + "x".repeat(256) + "\"}}", "labels.team"),
        Arguments.of("{\"labels\": " + manyEntries("k", 51) + "}", "labels"),
        Arguments.of("{\"command\": " + manyArgs(101) + "}", "command"),
        Arguments.of("{\"command\": [\"sh\", null]}", "command[1]"),
        Arguments.of("{\"image\": \"Upper/Case:1\"}", "image"),
        Arguments.of("{\"image\": \"has space\"}", "image"),
        Arguments.of("{\"image\": \"busybox:\"}", "image"),
        Arguments.of("{\"imagee\": \"busybox\"}", "imagee"),
        Arguments.of("{\"resources\": {\"cpus\": 1, \"gpus\": 1}}", "resources.gpus"),
        Arguments.of("{\"wait\": \"yes\"}", "wait"));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("invalidRequests")
  void invalidCreateIsRejectedWithoutWritingARow(String body, String field) {
    assertInvalid(post("/v1/sandboxes", tenant.key(), body), field);
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  @Test
  void everyInvalidFieldIsReportedAtOnce() {
    Response response =
        post(
            "/v1/sandboxes",
            tenant.key(),
            "{\"resources\": {\"cpus\": 0, \"pids\": 1}, \"dataPath\": \"relative\"}");

    assertProblem(response, 400, "validation");
    assertThat(response.invalidFields())
        .containsExactlyInAnyOrder("resources.cpus", "resources.pids", "dataPath");
  }

  @Test
  void malformedJsonIsRejected() {
    Response response = post("/v1/sandboxes", tenant.key(), "{\"image\": ");

    assertProblem(response, 400, "malformed-request");
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  @Test
  void bodyThatIsNotAnObjectIsRejected() {
    assertProblem(post("/v1/sandboxes", tenant.key(), "[1, 2]"), 400, "malformed-request");
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  @Test
  void idempotencyKeyMustBeReasonable() {
    Response response =
        send(
            "POST",
            "/v1/sandboxes",
            tenant.key(),
            "{}",
            java.util.Map.of("Idempotency-Key", "k".repeat(256)));

    assertProblem(response, 400, "validation");
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  private static String manyArgs(int count) {
    return IntStream.range(0, count)
        .mapToObj(i -> "\"a" + i + "\"")
        .collect(Collectors.joining(", ", "[", "]"));
  }
}
