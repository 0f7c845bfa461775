package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/** The reconciliation cron against the real system: what happens behind Sandbar's back shows. */
class ReconciliationTest extends EndToEndTest {

  /** A pass every 15 s: a minute is four chances. */
  private static final long PATIENCE_MS = 60_000;

  @Test
  void aContainerKilledBehindSandbarsBackIsStoppedWithTheExitReason() throws Exception {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();

    docker.killContainerCmd("sandbar-" + id).withSignal("KILL").exec();

    long deadline = System.currentTimeMillis() + PATIENCE_MS;
    String state = api.get(id).get("state").asString();
    while (!state.equals("stopped") && System.currentTimeMillis() < deadline) {
      Thread.sleep(250);
      state = api.get(id).get("state").asString();
    }
    assertThat(state).isEqualTo("stopped");
    Response events = api.call("GET", "/v1/sandboxes/" + id + "/events", null);
    List<JsonNode> items = events.json().get("items").valueStream().toList();
    assertThat(items)
        .anySatisfy(
            event -> {
              assertThat(event.get("toState").asString()).isEqualTo("stopped");
              assertThat(event.get("action").asString()).isEqualTo("reconcile");
              assertThat(event.get("actor").asString()).isEqualTo("system");
              assertThat(event.get("reason").asString()).contains("exited with code");
            });
    // Adopted, so the user can start it again as usual.
    assertThat(api.operate(id, "start").get("state").asString()).isEqualTo("running");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }
}
