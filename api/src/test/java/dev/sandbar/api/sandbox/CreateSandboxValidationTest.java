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
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every rejected create answers 400 problem+json naming the field, and writes nothing. */
class CreateSandboxValidationTest extends ApiIntegrationTest {

  @BeforeEach
  void baseImageHost() {
    ensureBaseImageHost();
  }

  /** Requests too large to write out in the table of the test below. */
  static Stream<Arguments> oversizedRequests() {
    return Stream.of(
        Arguments.of("{\"env\": " + manyEntries("k", 101) + "}", "env"),
        Arguments.of("{\"labels\": {\"team\": \"" + "x".repeat(256) + "\"}}", "labels.team"),
        Arguments.of("{\"labels\": " + manyEntries("k", 51) + "}", "labels"),
        Arguments.of("{\"command\": " + manyArgs(101) + "}", "command"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {"resources": {"cpus": 0}}                           | resources.cpus
          {"resources": {"cpus": -2}}                          | resources.cpus
          {"resources": {"cpus": 64.5}}                        | resources.cpus
          {"resources": {"memoryMb": -512}}                    | resources.memoryMb
          {"resources": {"memoryMb": 8}}                       | resources.memoryMb
          {"resources": {"memoryMb": 262145}}                  | resources.memoryMb
          {"resources": {"memoryMb": 99999999999999999999999}} | resources.memoryMb
          {"resources": {"memoryMb": 512.5}}                   | resources.memoryMb
          {"resources": {"pids": 15}}                          | resources.pids
          {"resources": {"pids": 65537}}                       | resources.pids
          {"idleTimeoutSeconds": -1}                           | idleTimeoutSeconds
          {"idleTimeoutSeconds": "900"}                        | idleTimeoutSeconds
          {"ttlSeconds": 2592001}                              | ttlSeconds
          {"ttlSeconds": -5}                                   | ttlSeconds
          {"idleAction": "hibernate"}                          | idleAction
          {"dataPath": "data"}                                 | dataPath
          {"dataPath": "/"}                                    | dataPath
          {"dataPath": "/data/../etc"}                         | dataPath
          {"dataPath": "/data//x"}                             | dataPath
          {"dataPath": "/data/"}                               | dataPath
          {"dataPath": "/data/./x"}                            | dataPath
          {"networkMode": "host"}                              | networkMode
          {"networkMode": "bridge"}                            | networkMode
          {"networkMode": "container:sb-1"}                    | networkMode
          {"user": "root; rm"}                                 | user
          {"user": ""}                                         | user
          {"user": "1000:"}                                    | user
          {"readOnlyRootFilesystem": "yes"}                    | readOnlyRootFilesystem
          {"env": {"1BAD": "x"}}                               | env.1BAD
          {"env": {"A-B": "x"}}                                | env.A-B
          {"labels": {"Team": "x"}}                            | labels.Team
          {"labels": {"-team": "x"}}                           | labels.-team
          {"command": ["sh", null]}                            | command[1]
          {"image": "Upper/Case:1"}                            | image
          {"image": "has space"}                               | image
          {"image": "busybox:"}                                | image
          {"imagee": "busybox"}                                | imagee
          {"resources": {"cpus": 1, "gpus": 1}}                | resources.gpus
          {"wait": "yes"}                                      | wait
          {"restartPolicy": "always"}                          | restartPolicy
          {"healthcheck": {}}                                  | healthcheck.test
          {"healthcheck": {"test": ["CMD-SHELL"]}}             | healthcheck.test
          {"healthcheck": {"test": ["exit 1"]}}                | healthcheck.test
          {"healthcheck": {"test": ["NONE"], "retries": 0}}    | healthcheck.retries
          {"healthcheck": {"test": ["NONE"], "intervalSeconds": 0}} | healthcheck.intervalSeconds
          {"healthcheck": {"test": ["NONE"], "timeoutSeconds": 9999}} | healthcheck.timeoutSeconds
          {"healthcheck": {"test": ["NONE"], "startPeriodSeconds": -1}} | healthcheck.startPeriodSeconds
          """)
  @MethodSource("oversizedRequests")
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
