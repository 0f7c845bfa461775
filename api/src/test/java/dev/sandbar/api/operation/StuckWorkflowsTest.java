package dev.sandbar.api.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.WorkflowIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.StreamSupport;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Workflows of every kind whose activity retries for ever are listed as stuck with what Temporal
 * says of the activity, and a sandbox stuck that way can be force-destroyed by the admin. The
 * database is made to refuse one sandbox's rows by a trigger, the way a write can fail for ever.
 */
class StuckWorkflowsTest extends WorkflowIntegrationTest {

  private String trigger;

  @AfterEach
  void dropTrigger() {
    if (trigger != null) {
      jdbi.useHandle(
          handle -> {
            handle.execute("drop trigger if exists " + trigger + " on audit_events");
            handle.execute("drop trigger if exists " + trigger + " on exec_tasks");
            handle.execute("drop function if exists " + trigger + "()");
          });
    }
  }

  @Test
  void aSandboxWhoseWriteRetriesForeverIsListedAndCanBeForceDestroyed() throws Exception {
    String sandbox = runningSandbox(tenant);
    refuse("audit_events", sandbox, "lower(new.to_state) = 'stopped'");
    CompletableFuture<Response> stop =
        CompletableFuture.supplyAsync(
            () -> post("/v1/sandboxes/" + sandbox + "/stop", tenant.key(), null));

    JsonNode item = awaitStuck("sandbox-" + sandbox, ADMIN_KEY);

    assertThat(item.path("workflowType").asString()).isEqualTo("SandboxWorkflow");
    assertThat(item.path("sandboxId").asString()).isEqualTo(sandbox);
    assertThat(item.path("state").asString()).isEqualTo("stopping");
    String runId = item.path("runId").asString();
    assertThat(runId).isNotBlank();
    assertThat(item.path("temporalUiUrl").asString())
        .isEqualTo(
            "http://localhost:8233/namespaces/default/workflows/sandbox-" + sandbox + "/" + runId);
    JsonNode activity = item.path("pendingActivity");
    assertThat(activity.path("activityType").asString()).isEqualTo("RecordTransition");
    assertThat(activity.path("attempt").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(activity.path("lastFailure").asString()).contains("refused by the test");
    assertProblem(get("/v1/operations/stuck?olderThanSeconds=0", tenant.key()), 404, "not-found");
    assertThat(stuckItem("sandbox-" + sandbox, ADMIN_KEY, 3600))
        .as("pending for seconds, not an hour")
        .isEmpty();

    assertProblem(
        delete("/v1/sandboxes/" + sandbox + "?force=true", tenant.key()), 403, "forbidden");
    Response forced = delete("/v1/sandboxes/" + sandbox + "?force=true", ADMIN_KEY);

    assertThat(forced.status()).as(forced.body()).isEqualTo(200);
    assertThat(forced.json().path("state").asString()).isEqualTo("destroyed");
    assertThat(get("/v1/sandboxes/" + sandbox, tenant.key()).json().path("state").asString())
        .isEqualTo("destroyed");
    assertThat(stop.get(30, TimeUnit.SECONDS).status())
        .as("the abandoned stop is refused")
        .isEqualTo(409);
    JsonNode events = get("/v1/sandboxes/" + sandbox + "/events", tenant.key()).json();
    JsonNode last = events.path("items").get(events.path("items").size() - 1);
    assertThat(last.path("toState").asString()).isEqualTo("destroyed");
    assertThat(last.path("actor").asString()).isEqualTo("admin");
    assertThat(last.path("reason").asString()).isEqualTo("force destroy");
    assertThat(stuckItem("sandbox-" + sandbox, ADMIN_KEY, 0)).isEmpty();
  }

  @Test
  void aCommandWhoseWriteRetriesForeverIsListed() {
    String sandbox = runningSandbox(tenant);
    refuse("exec_tasks", sandbox, "new.status <> 'running'");
    Response started =
        post(
            "/v1/sandboxes/" + sandbox + "/exec",
            tenant.key(),
            "{\"command\": \"echo hi\", \"background\": true}");
    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String taskId = started.json().path("taskId").asString();

    JsonNode item = awaitStuck("exec-" + sandbox + "-" + taskId, ADMIN_KEY);

    assertThat(item.path("workflowType").asString()).isEqualTo("ExecWorkflow");
    assertThat(item.path("sandboxId").asString()).isEqualTo(sandbox);
    assertThat(item.path("sandbox").path("id").asString()).isEqualTo(sandbox);
    JsonNode activity = item.path("pendingActivity");
    assertThat(activity.path("activityType").asString()).isEqualTo("EndTask");
    assertThat(activity.path("attempt").asInt()).isGreaterThanOrEqualTo(2);
    assertThat(activity.path("lastFailure").asString()).contains("refused by the test");
    // Each retry is scheduled anew; "since" is the first schedule, so the filter still lists it.
    Optional<JsonNode> olderThanTwoSeconds =
        poll(
            Duration.ofSeconds(20),
            Duration.ofMillis(500),
            () -> stuckItem("exec-" + sandbox + "-" + taskId, ADMIN_KEY, 2),
            Optional::isPresent);
    assertThat(olderThanTwoSeconds).isPresent();
    assertThat(olderThanTwoSeconds.get().path("stuckForSeconds").asLong())
        .isGreaterThanOrEqualTo(2);
    assertThat(Instant.parse(olderThanTwoSeconds.get().path("since").asString()))
        .isEqualTo(Instant.parse(activity.path("since").asString()));
  }

  @Test
  void onlyTheAdminForceDestroys() {
    String sandbox = runningSandbox(tenant);

    Response refused = delete("/v1/sandboxes/" + sandbox + "?force=true", tenant.key());

    assertProblem(refused, 403, "forbidden");
    assertThat(get("/v1/sandboxes/" + sandbox, tenant.key()).json().path("state").asString())
        .isEqualTo("running");
    assertProblem(
        delete("/v1/sandboxes/" + sandbox + "?force=true&preserveData=true", ADMIN_KEY),
        400,
        "validation");
    assertProblem(delete("/v1/sandboxes/sb-nope?force=true", ADMIN_KEY), 404, "not-found");
  }

  /** Makes the database refuse rows of {@code table} for the sandbox when {@code condition}. */
  private void refuse(String table, String sandbox, String condition) {
    trigger = "refuse_" + sandbox.replace('-', '_');
    jdbi.useHandle(
        handle -> {
          handle.execute(
              """
              create function %s() returns trigger language plpgsql as $$
              begin
                if new.sandbox_id = '%s' and %s then
                  raise exception 'refused by the test';
                end if;
                return new;
              end $$
              """
                  .formatted(trigger, sandbox, condition));
          handle.execute(
              "create trigger %s before insert or update on %s for each row execute function %s()"
                  .formatted(trigger, table, trigger));
        });
  }

  private JsonNode awaitStuck(String workflowId, String key) {
    Optional<JsonNode> item =
        poll(
            Duration.ofSeconds(30),
            Duration.ofMillis(200),
            () ->
                stuckItem(workflowId, key, 0)
                    .filter(found -> found.path("pendingActivity").path("attempt").asInt() >= 2),
            Optional::isPresent);
    return item.orElseThrow(() -> new AssertionError(workflowId + " was not listed as stuck"));
  }

  private Optional<JsonNode> stuckItem(String workflowId, String key, long olderThanSeconds) {
    Response response = get("/v1/operations/stuck?olderThanSeconds=" + olderThanSeconds, key);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return StreamSupport.stream(response.json().path("items").spliterator(), false)
        .filter(item -> workflowId.equals(item.path("workflowId").asString()))
        .findFirst();
  }
}
