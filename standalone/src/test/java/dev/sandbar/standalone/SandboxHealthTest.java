package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Health checks against real Docker: the check fails while a file exists in the sandbox's {@code
 * /dev/shm} (a tmpfs Docker mounts afresh at every start, so a restart cures it); reconciliation
 * carries the health to the sandbox, whose workflow restarts it under {@code on-unhealthy}.
 */
class SandboxHealthTest extends EndToEndTest {

  private static final String SICK_WHEN_FILE_EXISTS =
      """
      {"wait": true, "restartPolicy": "on-unhealthy",
       "healthcheck": {"test": ["CMD-SHELL", "test ! -f /dev/shm/sick"],
                       "intervalSeconds": 1, "timeoutSeconds": 2, "retries": 2}}
      """;

  /** Passes run every 15 s; Docker needs two failed checks a second apart. */
  private static final Duration REPORT_BOUND = Duration.ofSeconds(90);

  @Test
  void anUnhealthySandboxIsRestartedBySystemAndHealthyAgain() {
    JsonNode created = api.createRunning(SICK_WHEN_FILE_EXISTS);
    String id = created.get("id").asString();
    assertThat(created.get("restartPolicy").asString()).isEqualTo("on-unhealthy");
    assertThat(created.get("healthcheck").get("retries").asInt()).isEqualTo(2);
    assertThat(
            docker
                .inspectContainerCmd("sandbar-" + id)
                .exec()
                .getConfig()
                .getHealthcheck()
                .getTest())
        .containsExactly("CMD-SHELL", "test ! -f /dev/shm/sick");
    api.awaitSandbox(id, s -> s.get("health").asString().equals("healthy"), REPORT_BOUND);

    api.exec(id, "{\"command\": \"touch /dev/shm/sick\"}", 200);

    JsonNode restart = awaitEvent(id, "restart", "system");
    assertThat(restart.get("reason").asString()).contains("health check failing");
    JsonNode healthyAgain =
        api.awaitSandbox(
            id,
            s ->
                s.get("state").asString().equals("running")
                    && s.get("health").asString().equals("healthy"),
            REPORT_BOUND);
    assertThat(healthyAgain.get("state").asString()).isEqualTo("running");

    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void withoutTheRestartPolicyAnUnhealthySandboxIsOnlyShownUnhealthy() {
    String id =
        api.createRunning(SICK_WHEN_FILE_EXISTS.replace("\"on-unhealthy\"", "\"never\""))
            .get("id")
            .asString();
    api.exec(id, "{\"command\": \"touch /dev/shm/sick\"}", 200);

    JsonNode sick =
        api.awaitSandbox(id, s -> s.get("health").asString().equals("unhealthy"), REPORT_BOUND);

    assertThat(sick.get("state").asString()).isEqualTo("running");
    assertThat(api.events(id)).noneMatch(e -> e.get("action").asString().equals("restart"));
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void aSandboxWithoutAHealthCheckShowsNone() {
    JsonNode created = api.createRunning("{\"wait\": true}");

    assertThat(created.get("health").asString()).isEqualTo("none");
    assertThat(created.get("restartPolicy").asString()).isEqualTo("never");
    api.call("DELETE", "/v1/sandboxes/" + created.get("id").asString(), null);
  }

  @Test
  void aHealthCheckWithoutACommandIsRejected() {
    Response response =
        api.call("POST", "/v1/sandboxes", "{\"healthcheck\": {\"test\": [\"CMD-SHELL\"]}}");

    assertThat(response.status()).isEqualTo(400);
    assertThat(response.invalidFields()).contains("healthcheck.test");
  }

  private JsonNode awaitEvent(String id, String action, String actor) {
    long deadline = System.nanoTime() + REPORT_BOUND.toNanos();
    while (System.nanoTime() < deadline) {
      for (JsonNode event : api.events(id)) {
        if (event.get("action").asString().equals(action)
            && event.get("actor").asString().equals(actor)) {
          return event;
        }
      }
      SandbarTestSupport.sleep(500);
    }
    throw new AssertionError("no " + action + " by " + actor + " in " + api.events(id));
  }
}
