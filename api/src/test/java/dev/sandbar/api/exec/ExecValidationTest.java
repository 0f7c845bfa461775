package dev.sandbar.api.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every rejected exec answers 400 naming the field, before any workflow is asked: this context has
 * no worker, so a request that got as far as the sandbox's workflow would hang instead.
 */
class ExecValidationTest extends ApiIntegrationTest {

  private String sandbox;

  @BeforeEach
  void setUp() {
    sandbox = insertRunningSandbox(tenant.id());
  }

  /** Requests too large to write out in the table of the test below. */
  static Stream<Arguments> oversizedRequests() {
    return Stream.of(
        Arguments.of("{\"command\": \"" + "x".repeat(64 * 1024 + 1) + "\"}", "command"),
        Arguments.of("{\"command\": \"true\", \"env\": " + manyEntries("K", 101) + "}", "env"),
        Arguments.of(
            "{\"command\": \"true\", \"sessionId\": \"" + "s".repeat(129) + "\"}", "sessionId"),
        Arguments.of(
            "{\"command\": \"true\", \"description\": \"" + "d".repeat(1025) + "\"}",
            "description"));
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(
      delimiter = '|',
      textBlock =
          """
          {}                                                                      | command
          {"command": ""}                                                         | command
          {"command": "   "}                                                      | command
          {"command": "echo \\u0000"}                                             | command
          {"command": ["echo", "hi"]}                                             | command
          {"command": "true", "timeoutSeconds": 601}                              | timeoutSeconds
          {"command": "true", "timeoutSeconds": 0}                                | timeoutSeconds
          {"command": "true", "timeoutSeconds": 1.5}                              | timeoutSeconds
          {"command": "true", "background": true, "timeoutSeconds": 1801}         | timeoutSeconds
          {"command": "true", "cwd": "tmp"}                                       | cwd
          {"command": "true", "env": {"1BAD": "x"}}                               | env.1BAD
          {"command": "true", "env": {"A-B": "x"}}                                | env.A-B
          {"command": "true", "env": {"A": null}}                                 | env.A
          {"command": "true", "sessionId": "has space"}                           | sessionId
          {"command": "true", "sessionId": ""}                                    | sessionId
          {"command": "true", "backgroundAfterSeconds": 0}                        | backgroundAfterSeconds
          {"command": "true", "timeoutSeconds": 10, "backgroundAfterSeconds": 10} | backgroundAfterSeconds
          {"command": "true", "background": true, "backgroundAfterSeconds": 5}    | backgroundAfterSeconds
          {"command": "true", "background": "yes"}                                | background
          {"command": "true", "taskId": "t-mine"}                                 | taskId
          {"command": "true", "timeout": 5}                                       | timeout
          """)
  @MethodSource("oversizedRequests")
  void invalidExecIsRejectedNamingTheField(String body, String field) {
    assertInvalid(post(exec(), tenant.key(), body), field);
    assertThat(taskRows()).isZero();
  }

  @Test
  void everyInvalidFieldIsReportedAtOnce() {
    Response response =
        post(
            exec(),
            tenant.key(),
            "{\"command\": \"\", \"cwd\": \"rel\", \"env\": {\"9\": \"x\"}, \"timeoutSeconds\": 0}");

    assertProblem(response, 400, "validation");
    assertThat(response.invalidFields())
        .containsExactlyInAnyOrder("command", "cwd", "env.9", "timeoutSeconds");
  }

  @Test
  void missingBodyIsRejected() {
    assertProblem(post(exec(), tenant.key(), null), 400, "validation");
  }

  @Test
  void aForegroundLimitAboveTenMinutesIsAllowedOnlyInTheBackground() {
    Response response =
        post(exec(), tenant.key(), "{\"command\": \"true\", \"timeoutSeconds\": 900}");

    assertProblem(response, 400, "validation");
    assertThat(response.json().path("errors").get(0).path("message").asString())
        .isEqualTo("must be between 1 and 600 (up to 1800 for a background command)");
  }

  @Test
  void anotherTenantsSandboxIsNotFound() {
    TestTenant stranger = newTenant();

    assertProblem(post(exec(), stranger.key(), "{\"command\": \"true\"}"), 404, "not-found");
    assertProblem(
        post("/v1/sandboxes/sb-doesnotexist/exec", tenant.key(), "{\"command\": \"true\"}"),
        404,
        "not-found");
    assertThat(taskRows()).isZero();
  }

  private String exec() {
    return "/v1/sandboxes/" + sandbox + "/exec";
  }

  private int taskRows() {
    return queryOne(
        "select count(*) from exec_tasks where sandbox_id = :id", sandbox, Integer.class);
  }
}
