package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.WorkflowIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.api.testworker.TestWorker;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The API driving real sandbox workflows: the worker runs the sandbox workflow with a
 * database-backed store and an in-memory host, so updates, their validators and the read model
 * behave as in production, without Docker.
 */
class SandboxLifecycleTest extends WorkflowIntegrationTest {

  @BeforeEach
  void baseImageHost() {
    ensureBaseImageHost();
  }

  @Test
  void sandboxGoesThroughItsLifecycle() {
    Response created = post("/v1/sandboxes", tenant.key(), "{\"wait\": true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("state").asString()).isEqualTo("running");
    assertThat(created.json().path("hostId").asString()).isEqualTo(TestWorker.HOST_ID);
    String id = created.json().path("id").asString();
    String path = "/v1/sandboxes/" + id;

    assertThat(state(post(path + "/pause", tenant.key(), null))).isEqualTo("paused");
    Response pausedTwice = post(path + "/pause", tenant.key(), null);
    assertProblem(pausedTwice, 409, "invalid-state");
    assertThat(pausedTwice.json().path("detail").asString())
        .isEqualTo("cannot pause a sandbox that is paused");

    assertThat(state(post(path + "/resume", tenant.key(), null))).isEqualTo("running");
    assertThat(state(post(path + "/stop", tenant.key(), null))).isEqualTo("stopped");
    assertProblem(post(path + "/resume", tenant.key(), null), 409, "invalid-state");
    assertThat(state(post(path + "/start", tenant.key(), null))).isEqualTo("running");
    assertThat(state(post(path + "/restart", tenant.key(), null))).isEqualTo("running");
    assertThat(state(post(path + "/touch", tenant.key(), null))).isEqualTo("running");
    assertThat(state(get(path, tenant.key())))
        .as("the read model caught up before the operation answered")
        .isEqualTo("running");

    Response destroyed = delete(path, tenant.key());
    assertThat(state(destroyed)).isEqualTo("destroyed");
    assertThat(state(get(path, tenant.key()))).isEqualTo("destroyed");
    assertThat(state(delete(path, tenant.key())))
        .as("destroy is idempotent")
        .isEqualTo("destroyed");
    Response stopDestroyed = post(path + "/stop", tenant.key(), null);
    assertProblem(stopDestroyed, 409, "invalid-state");
    assertThat(stopDestroyed.json().path("detail").asString()).contains("is destroyed");

    Response events = get(path + "/events", tenant.key());
    assertThat(events.status()).isEqualTo(200);
    List<String> toStates = new ArrayList<>();
    List<Long> seqs = new ArrayList<>();
    events
        .json()
        .path("items")
        .forEach(
            e -> {
              toStates.add(e.path("toState").asString());
              seqs.add(e.path("seq").asLong());
            });
    assertThat(toStates).startsWith("creating", "starting", "running", "pausing", "paused");
    assertThat(toStates).endsWith("destroying", "destroyed");
    assertThat(seqs).isSorted().doesNotHaveDuplicates();
    var first = events.json().path("items").get(0);
    assertThat(first.path("actor").asString()).isEqualTo("user");
    assertThat(first.path("action").asString()).isEqualTo("create");
    assertThat(first.path("outcome").asString()).isEqualTo("ok");
    assertThat(first.path("at").asString()).isNotBlank();
  }

  @Test
  void retriedCreateWithWaitAnswersWithTheSettledSandbox() {
    var key = java.util.Map.of("Idempotency-Key", "settle-once");

    Response first = send("POST", "/v1/sandboxes", tenant.key(), "{\"wait\": true}", key);
    Response again = send("POST", "/v1/sandboxes", tenant.key(), "{\"wait\": true}", key);

    assertThat(first.json().path("state").asString()).isEqualTo("running");
    assertThat(again.status()).isEqualTo(201);
    assertThat(again.json().path("id").asString()).isEqualTo(first.json().path("id").asString());
    assertThat(again.json().path("state").asString()).isEqualTo("running");
    assertThat(sandboxRows(tenant.id())).isEqualTo(1);
  }

  private static String state(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().path("state").asString();
  }
}
