package dev.sandbar.api.exec;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.WorkflowIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.api.testworker.ScriptedCommandActivities;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Commands through the API and the real sandbox and exec workflows; the commands themselves are
 * scripts run by {@link ScriptedCommandActivities} instead of a shell in a container.
 */
class ExecTest extends WorkflowIntegrationTest {

  @Autowired ScriptedCommandActivities commands;

  private String sandbox;

  @BeforeEach
  void setUp() {
    sandbox = runningSandbox(tenant);
  }

  @Test
  void foregroundCommandAnswersWithItsResult() {
    Response response =
        post(exec(), tenant.key(), "{\"command\": \"echo hello; echo oops >&2; exit 3\"}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode result = response.json();
    assertThat(result.path("taskId").asString()).matches("t-[a-z0-9]{24}");
    assertThat(result.path("status").asString()).isEqualTo("failed");
    assertThat(result.path("exitCode").asInt()).isEqualTo(3);
    assertThat(result.path("stdout").asString()).isEqualTo("hello\n");
    assertThat(result.path("stderr").asString()).isEqualTo("oops\n");
    assertThat(result.path("truncated").asBoolean()).isFalse();
    assertThat(result.path("durationMs").asLong()).isNotNegative();
    assertThat(result.path("error").isNull()).isTrue();

    JsonNode task = get(task(result.path("taskId").asString()), tenant.key()).json();
    assertThat(task.path("status").asString()).isEqualTo("failed");
    assertThat(task.path("exitCode").asInt()).isEqualTo(3);
    assertThat(task.path("command").asString()).isEqualTo("echo hello; echo oops >&2; exit 3");
    assertThat(task.path("sandboxId").asString()).isEqualTo(sandbox);
    assertThat(task.path("background").asBoolean()).isFalse();
    assertThat(task.path("outputTail").asString()).contains("hello", "oops");
    assertThat(task.path("endedAt").asString()).isNotBlank();
  }

  @Test
  void commandOverItsLimitIsKilledAndReportedTimedOut() {
    Response response =
        post(exec(), tenant.key(), "{\"command\": \"sleep 60\", \"timeoutSeconds\": 1}");

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().path("status").asString()).isEqualTo("timed_out");
    assertThat(response.json().path("exitCode").isNull()).isTrue();
    assertThat(response.json().path("error").asString()).contains("timed out after 1s");
  }

  @Test
  void backgroundCommandAnswersAtOnceAndNotifiesItsSession() {
    Response started =
        post(
            exec(),
            tenant.key(),
            """
            {"command": "sleep 0.5; echo done", "background": true, "sessionId": "agent-1",
             "description": "wait a bit"}
            """);

    assertThat(started.status()).as(started.body()).isEqualTo(202);
    String taskId = started.json().path("taskId").asString();
    assertThat(started.json().path("outputFile").asString())
        .isEqualTo("/.sandbar/tasks/" + taskId + "/output.log");
    assertThat(started.headers().firstValue("Location")).hasValue(task(taskId));
    Response running = get(task(taskId), tenant.key());
    assertThat(running.status())
        .as("the task is readable as soon as it is answered")
        .isEqualTo(200);
    assertThat(running.json().path("sessionId").asString()).isEqualTo("agent-1");
    assertThat(running.json().path("description").asString()).isEqualTo("wait a bit");
    assertThat(running.json().path("background").asBoolean()).isTrue();

    List<JsonNode> notes = drain("agent-1", 10);
    assertThat(notes).hasSize(1);
    assertThat(notes.get(0).path("taskId").asString()).isEqualTo(taskId);
    assertThat(notes.get(0).path("kind").asString()).isEqualTo("completed");
    assertThat(notes.get(0).path("status").asString()).isEqualTo("completed");
    assertThat(notes.get(0).path("exitCode").asInt()).isZero();
    assertThat(drain("agent-1", 0)).isEmpty();
    assertThat(get(task(taskId), tenant.key()).json().path("status").asString())
        .isEqualTo("completed");
  }

  @Test
  void foregroundCommandGoesOnInTheBackgroundWithoutStartingAgain() {
    int startedBefore = commands.started();
    Response flipped =
        post(
            exec(),
            tenant.key(),
            """
            {"command": "sleep 3; echo finished", "backgroundAfterSeconds": 1,
             "sessionId": "flip"}
            """);

    assertThat(flipped.status()).as(flipped.body()).isEqualTo(202);
    String taskId = flipped.json().path("taskId").asString();
    assertThat(get(task(taskId), tenant.key()).json().path("status").asString())
        .isEqualTo("running");

    List<JsonNode> notes = drain("flip", 15);
    assertThat(notes).extracting(n -> n.path("taskId").asString()).containsExactly(taskId);
    JsonNode done = get(task(taskId), tenant.key()).json();
    assertThat(done.path("status").asString()).isEqualTo("completed");
    assertThat(done.path("outputTail").asString()).isEqualTo("finished\n");
    assertThat(commands.started()).isEqualTo(startedBefore + 1);
  }

  @Test
  void killEndsARunningCommand() {
    String taskId = background("sleep 60");

    Response killed = delete(task(taskId), tenant.key());

    assertThat(killed.status()).as(killed.body()).isEqualTo(200);
    assertThat(killed.json().path("status").asString()).isEqualTo("killed");
    assertThat(killed.json().path("endedAt").asString()).isNotBlank();
    Response again = delete(task(taskId), tenant.key());
    assertThat(again.status()).as("killing an ended task answers it as it is").isEqualTo(200);
    assertThat(again.json().path("status").asString()).isEqualTo("killed");
  }

  @Test
  void foregroundCommandKilledMeanwhileAnswersKilled() throws Exception {
    CompletableFuture<Response> waiting =
        CompletableFuture.supplyAsync(
            () ->
                post(exec(), tenant.key(), "{\"command\": \"sleep 60\", \"timeoutSeconds\": 120}"));
    String taskId = awaitRunningTaskId();

    assertThat(delete(task(taskId), tenant.key()).status()).isEqualTo(200);
    Response answer = waiting.get(30, TimeUnit.SECONDS);

    assertThat(answer.status()).as(answer.body()).isEqualTo(200);
    assertThat(answer.json().path("taskId").asString()).isEqualTo(taskId);
    assertThat(answer.json().path("status").asString()).isEqualTo("killed");
    assertThat(answer.json().path("error").asString()).isEqualTo("killed on request");
  }

  @Test
  void outputIsReadFromTheContainerFromAnOffset() {
    String taskId =
        post(exec(), tenant.key(), "{\"command\": \"echo hello; echo world\"}")
            .json()
            .path("taskId")
            .asString();

    Response first = get(task(taskId) + "/output?offset=0&limit=3", tenant.key());
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(first.json().path("offset").asLong()).isZero();
    assertThat(first.json().path("nextOffset").asLong()).isEqualTo(3);
    assertThat(first.json().path("totalBytes").asLong()).isEqualTo(12);
    assertThat(decode(first.json())).isEqualTo("hel");

    Response rest = get(task(taskId) + "/output?offset=6", tenant.key());
    assertThat(decode(rest.json())).isEqualTo("world\n");
    assertThat(rest.json().path("nextOffset").asLong()).isEqualTo(12);

    assertProblem(get(task(taskId) + "/output?limit=0", tenant.key()), 400, "validation");
    assertProblem(get(task(taskId) + "/output?limit=1048577", tenant.key()), 400, "validation");
    assertProblem(get(task(taskId) + "/output?offset=-1", tenant.key()), 400, "validation");
  }

  @Test
  void commandWaitingOnAPromptIsReportedStalledOnce() {
    Response started =
        post(
            exec(),
            tenant.key(),
            "{\"command\": \"prompt Password: \", \"background\": true, \"sessionId\": \"stall\"}");
    String taskId = started.json().path("taskId").asString();

    JsonNode stalled = awaitTask(taskId, t -> t.path("stalled").asBoolean());
    assertThat(stalled.path("status").asString()).isEqualTo("running");
    assertThat(drain("stall", 5))
        .extracting(n -> n.path("kind").asString())
        .containsExactly("stalled");

    assertThat(delete(task(taskId), tenant.key()).json().path("status").asString())
        .isEqualTo("killed");
    assertThat(drain("stall", 10))
        .extracting(n -> n.path("kind").asString() + "/" + n.path("status").asString())
        .containsExactly("completed/killed");
  }

  @Test
  void listsTheSandboxsTasksNewestFirstAndFilters() {
    String first =
        post(exec(), tenant.key(), "{\"command\": \"echo one\"}").json().path("taskId").asString();
    String second =
        post(exec(), tenant.key(), "{\"command\": \"exit 2\", \"sessionId\": \"s2\"}")
            .json()
            .path("taskId")
            .asString();

    assertThat(taskIds(tasks())).containsExactly(second, first);
    assertThat(taskIds(tasks() + "?sessionId=s2")).containsExactly(second);
    assertThat(taskIds(tasks() + "?sessionId=")).containsExactly(first);
    assertThat(taskIds(tasks() + "?status=completed")).containsExactly(first);
    assertThat(taskIds(tasks() + "?status=failed&limit=1")).containsExactly(second);
    assertProblem(get(tasks() + "?status=done", tenant.key()), 400, "validation");
    assertProblem(get(tasks() + "?limit=0", tenant.key()), 400, "validation");
  }

  @Test
  void sandboxThatIsNotRunningRejectsExecNamingItsState() {
    assertThat(post("/v1/sandboxes/" + sandbox + "/pause", tenant.key(), null).status())
        .isEqualTo(200);
    int startedBefore = commands.started();

    Response rejected = post(exec(), tenant.key(), "{\"command\": \"echo hi\"}");

    assertProblem(rejected, 409, "sandbox-not-running");
    assertThat(rejected.json().path("detail").asString())
        .isEqualTo("cannot run a command in a sandbox that is paused");
    assertThat(commands.started()).isEqualTo(startedBefore);
  }

  @Test
  void destroyedSandboxRejectsExec() {
    assertThat(delete("/v1/sandboxes/" + sandbox, tenant.key()).status()).isEqualTo(200);

    Response rejected = post(exec(), tenant.key(), "{\"command\": \"echo hi\"}");

    assertProblem(rejected, 409, "invalid-state");
    assertThat(rejected.json().path("detail").asString()).contains("is destroyed");
  }

  @Test
  void anotherTenantsTaskIsNotFound() {
    String taskId = background("sleep 60");
    TestTenant stranger = newTenant();
    String strangersSandbox = runningSandbox(stranger);

    assertProblem(get(task(taskId), stranger.key()), 404, "not-found");
    assertProblem(get(task(taskId) + "/output", stranger.key()), 404, "not-found");
    assertProblem(delete(task(taskId), stranger.key()), 404, "not-found");
    assertProblem(get(tasks(), stranger.key()), 404, "not-found");
    assertProblem(post(exec(), stranger.key(), "{\"command\": \"echo hi\"}"), 404, "not-found");
    String viaOwnSandbox = "/v1/sandboxes/" + strangersSandbox + "/tasks/" + taskId;
    assertProblem(get(viaOwnSandbox, stranger.key()), 404, "not-found");
    assertProblem(delete(viaOwnSandbox, stranger.key()), 404, "not-found");
    assertThat(get(task(taskId), tenant.key()).json().path("status").asString())
        .as("the stranger's kill reached nothing")
        .isEqualTo("running");

    delete(task(taskId), tenant.key());
  }

  private String background(String command) {
    Response response =
        post(exec(), tenant.key(), "{\"command\": \"" + command + "\", \"background\": true}");
    assertThat(response.status()).as(response.body()).isEqualTo(202);
    return response.json().path("taskId").asString();
  }

  private String awaitRunningTaskId() {
    List<String> running =
        poll(
            Duration.ofSeconds(30),
            Duration.ofMillis(50),
            () -> taskIds(tasks() + "?status=running"),
            ids -> !ids.isEmpty());
    if (running.isEmpty()) {
      throw new AssertionError("no task started");
    }
    return running.getFirst();
  }

  private List<JsonNode> drain(String session, int waitSeconds) {
    String path = "/v1/sandboxes/%s/notifications/drain?sessionId=%s&waitSeconds=%d";
    Response response = post(path.formatted(sandbox, session, waitSeconds), tenant.key(), null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    acknowledge(session, response.json().path("cursor"));
    return response.items();
  }

  /** Acknowledges a drain's answer, as a client does once it has handled the notices. */
  private void acknowledge(String session, JsonNode cursor) {
    if (cursor.isString()) {
      String path = "/v1/sandboxes/%s/notifications/ack?sessionId=%s&cursor=%s";
      Response ack = post(path.formatted(sandbox, session, cursor.asString()), tenant.key(), null);
      assertThat(ack.status()).as(ack.body()).isEqualTo(200);
    }
  }

  private JsonNode awaitTask(String taskId, Predicate<JsonNode> condition) {
    JsonNode last =
        poll(
            Duration.ofSeconds(30),
            Duration.ofMillis(100),
            () -> get(task(taskId), tenant.key()).json(),
            condition);
    if (!condition.test(last)) {
      throw new AssertionError("task " + taskId + " never matched; last: " + last);
    }
    return last;
  }

  private List<String> taskIds(String path) {
    Response response = get(path, tenant.key());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.itemValues("taskId");
  }

  private static String decode(JsonNode chunk) {
    return new String(
        Base64.getDecoder().decode(chunk.path("data").asString()), StandardCharsets.UTF_8);
  }

  private String exec() {
    return "/v1/sandboxes/" + sandbox + "/exec";
  }

  private String tasks() {
    return "/v1/sandboxes/" + sandbox + "/tasks";
  }

  private String task(String taskId) {
    return tasks() + "/" + taskId;
  }
}
