package dev.sandbar.api.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.WorkflowIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.api.testworker.TestWorker;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * {@code POST /v1/hosts/{id}/drain?evacuate=true} on the test worker's two move hosts: sandboxes
 * move with their state, and the ones that cannot move are stopped with the reason audited.
 */
class HostEvacuationTest extends WorkflowIntegrationTest {

  private static final String HOST_A = TestWorker.MOVE_HOST_IDS.get(0);
  private static final String HOST_B = TestWorker.MOVE_HOST_IDS.get(1);

  /** Only the move hosts have it, so no other test's placement sees them. */
  private final String image =
      TestWorker.REAL_PLACEMENT_IMAGE_PREFIX + "evacuation:" + System.nanoTime();

  @AfterEach
  void takeTheMoveHostsOutOfPlacement() {
    for (String host : TestWorker.MOVE_HOST_IDS) {
      post("/v1/hosts/" + host + "/undrain", ADMIN_KEY, null);
      insertHost(host, "offline", Instant.now(), true);
    }
  }

  @Test
  void evacuationMovesEachSandboxInItsStateAndStopsTheOnesThatCannotMove() {
    insertHost(HOST_A, "online", Instant.now(), true, image);
    insertHost(HOST_B, "online", Instant.now(), true, image);
    // Everything lands on host A while B is drained.
    assertThat(post("/v1/hosts/" + HOST_B + "/drain", ADMIN_KEY, null).status()).isEqualTo(200);
    String running = create();
    String paused = create();
    String stopped = create();
    assertThat(post("/v1/sandboxes/" + paused + "/pause", tenant.key(), null).status())
        .isEqualTo(200);
    assertThat(post("/v1/sandboxes/" + stopped + "/stop", tenant.key(), null).status())
        .isEqualTo(200);
    assertThat(post("/v1/hosts/" + HOST_B + "/undrain", ADMIN_KEY, null).status()).isEqualTo(200);

    Response evacuated = post("/v1/hosts/" + HOST_A + "/drain?evacuate=true", ADMIN_KEY, null);

    assertThat(evacuated.status()).as(evacuated.body()).isEqualTo(200);
    assertThat(evacuated.json().path("state").asString()).isEqualTo("draining");
    Map<String, JsonNode> outcomes = outcomes(evacuated);
    assertThat(outcomes).containsOnlyKeys(running, paused, stopped);
    assertMoved(outcomes.get(running), running, "running");
    assertMoved(outcomes.get(paused), paused, "paused");
    assertMoved(outcomes.get(stopped), stopped, "stopped");
    JsonNode hostA = get("/v1/hosts/" + HOST_A, ADMIN_KEY).json();
    assertThat(hostA.path("sandboxes").asLong()).isZero();
    assertThat(get("/v1/hosts/" + HOST_A + "/events", ADMIN_KEY).itemValues("reason"))
        .contains("moved 3, stopped 0, left 0");

    // Now nowhere to go: B drained and evacuated too, with A drained.
    Response stranded = post("/v1/hosts/" + HOST_B + "/drain?evacuate=true", ADMIN_KEY, null);

    assertThat(stranded.status()).as(stranded.body()).isEqualTo(200);
    Map<String, JsonNode> left = outcomes(stranded);
    assertThat(left.get(running).path("outcome").asString()).isEqualTo("stopped");
    assertThat(left.get(paused).path("outcome").asString()).isEqualTo("stopped");
    assertThat(left.get(stopped).path("outcome").asString()).isEqualTo("left");
    assertThat(left.get(running).path("reason").asString())
        .startsWith("move failed: no online host other than " + HOST_B);
    assertThat(sandbox(running).path("state").asString()).isEqualTo("stopped");
    assertThat(sandbox(stopped).path("state").asString()).isEqualTo("stopped");
    List<JsonNode> trail = get("/v1/sandboxes/" + running + "/events", tenant.key()).items();
    JsonNode stop = trail.getLast();
    assertThat(stop.path("action").asString()).isEqualTo("stop");
    assertThat(stop.path("actor").asString()).isEqualTo("system");
    assertThat(stop.path("reason").asString())
        .startsWith("evacuating drained host " + HOST_B + ": could not move: move failed:");
    assertThat(trail)
        .anySatisfy(
            event -> {
              assertThat(event.path("action").asString()).isEqualTo("move");
              assertThat(event.path("outcome").asString()).isEqualTo("failed");
            });
  }

  private String create() {
    Response created =
        post("/v1/sandboxes", tenant.key(), "{\"image\": \"" + image + "\", \"wait\": true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("hostId").asString()).isEqualTo(HOST_A);
    return created.json().path("id").asString();
  }

  private void assertMoved(JsonNode outcome, String sandboxId, String state) {
    assertThat(outcome.path("outcome").asString()).as(outcome.toString()).isEqualTo("moved");
    assertThat(outcome.path("hostId").asString()).isEqualTo(HOST_B);
    assertThat(outcome.path("state").asString()).isEqualTo(state);
    JsonNode now = sandbox(sandboxId);
    assertThat(now.path("hostId").asString()).isEqualTo(HOST_B);
    assertThat(now.path("state").asString()).isEqualTo(state);
    List<JsonNode> trail = get("/v1/sandboxes/" + sandboxId + "/events", tenant.key()).items();
    JsonNode move = trail.getLast();
    assertThat(move.path("action").asString()).isEqualTo("move");
    assertThat(move.path("outcome").asString()).isEqualTo("ok");
    assertThat(move.path("toState").asString()).isEqualTo(state);
  }

  private JsonNode sandbox(String id) {
    return get("/v1/sandboxes/" + id, tenant.key()).json();
  }

  private static Map<String, JsonNode> outcomes(Response response) {
    return response
        .json()
        .path("evacuated")
        .valueStream()
        .collect(Collectors.toMap(node -> node.path("sandboxId").asString(), Function.identity()));
  }
}
