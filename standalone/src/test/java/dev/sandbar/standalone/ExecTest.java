package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.worker.HostWorker;
import dev.sandbar.workflows.exec.ExecWorkflow;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ExecTest extends EndToEndTest {

  @Autowired HostWorker worker;
  @Autowired WorkflowClient client;

  String sandbox;

  @BeforeAll
  void sandbox() {
    client();
    sandbox = api.createRunning("{\"wait\": true}").get("id").asString();
  }

  @AfterAll
  void destroy() {
    api.call("DELETE", "/v1/sandboxes/" + sandbox, null);
  }

  @Test
  void reportsExitCodesZeroOneAndKilledBySignal() {
    assertThat(run("true").get("exitCode").asInt()).isZero();
    assertThat(run("exit 1").get("exitCode").asInt()).isEqualTo(1);
    assertThat(run("kill -9 $$").get("exitCode").asInt()).isEqualTo(137);
  }

  @Test
  void keepsStderrApartFromStdout() {
    JsonNode result = run("echo out; echo err >&2");
    assertThat(result.get("stdout").asString()).isEqualTo("out\n");
    assertThat(result.get("stderr").asString()).isEqualTo("err\n");
    assertThat(result.get("truncated").asBoolean()).isFalse();
  }

  @Test
  void unicodeOutputSurvivesAndBinaryOutputCanBeReadBack() {
    assertThat(run("printf 'h\\303\\251llo \\342\\234\\223'").get("stdout").asString())
        .isEqualTo("héllo ✓");

    JsonNode binary = run("printf '\\000\\001\\377\\376'");
    String taskId = binary.get("taskId").asString();
    Response output = api.call("GET", tasks() + "/" + taskId + "/output?offset=0&limit=100", null);
    assertThat(output.status()).as(output.body()).isEqualTo(200);
    byte[] bytes = Base64.getDecoder().decode(output.json().get("data").asString());
    assertThat(bytes).containsExactly(0, 1, 0xff, 0xfe);
  }

  /**
   * 600 KiB of NUL bytes on each stream: 256 KiB of them would be 1.5 MiB of JSON escapes in a
   * result. The command still completes with its exit code, every event of its workflow (each
   * carries at most one payload) stays under 1 MiB, and every byte stays readable by offset.
   */
  @Test
  void commandPrintingNulBytesOnBothStreamsCompletesWithItsExitCodeUnderThePayloadLimit() {
    int bytes = 600 * 1024;
    JsonNode result =
        run("head -c " + bytes + " /dev/zero; head -c " + bytes + " /dev/zero >&2; exit 3");

    assertThat(result.get("exitCode").asInt()).isEqualTo(3);
    assertThat(result.get("status").asString()).isEqualTo("failed");
    assertThat(result.get("truncated").asBoolean()).isTrue();
    assertThat(result.get("stdout").asString()).isNotEmpty().matches("\\x00+");
    String taskId = result.get("taskId").asString();
    List<HistoryEvent> events =
        client.fetchHistory(ExecWorkflow.workflowId(sandbox, taskId)).getEvents();
    assertThat(events).isNotEmpty();
    for (HistoryEvent event : events) {
      assertThat(event.getSerializedSize())
          .as("%s of the command's workflow", event.getEventType())
          .isLessThan(1024 * 1024);
    }
    long read = 0;
    while (true) {
      Response chunk =
          api.call(
              "GET", tasks() + "/" + taskId + "/output?offset=" + read + "&limit=1048576", null);
      assertThat(chunk.status()).as(chunk.body()).isEqualTo(200);
      byte[] data = Base64.getDecoder().decode(chunk.json().get("data").asString());
      if (data.length == 0) {
        break;
      }
      assertThat(data).containsOnly(0);
      read = chunk.json().get("nextOffset").asLong();
    }
    assertThat(read).as("both streams, whole, in the log").isEqualTo(2L * bytes);
  }

  @Test
  void outputPastTheTaskCapIsDroppedAndTheTaskSaysTruncated() {
    JsonNode result = run("yes 0123456789abcdef | head -c 100000000; echo done >&2");
    String taskId = result.get("taskId").asString();

    Response task = api.call("GET", tasks() + "/" + taskId, null);
    assertThat(task.status()).as(task.body()).isEqualTo(200);
    assertThat(result.get("exitCode").asInt()).isZero();
    assertThat(result.get("truncated").asBoolean()).isTrue();
    assertThat(task.json().get("truncated").asBoolean()).isTrue();
    // The default cap, 64 MiB, less the 1 MiB each that stdout and stderr keep.
    assertThat(task.json().get("outputBytes").asLong()).isEqualTo(62L * 1024 * 1024);
    assertThat(
            Shell.run(
                docker, "sandbar-" + sandbox, "du -sk /.sandbar/tasks/" + taskId + " | cut -f1"))
        .satisfies(kib -> assertThat(Long.parseLong(kib.strip())).isLessThanOrEqualTo(65 * 1024));
  }

  @Test
  void runsShellSyntaxExactlyAsAShellWould() {
    String command =
        "a='it''s'; echo \"$a $(echo nested)\"; echo 'semi;colon'\necho \"second line\"";
    JsonNode result = run(command);
    assertThat(result.get("stdout").asString()).isEqualTo("its nested\nsemi;colon\nsecond line\n");
  }

  @Test
  void timeoutKillsTheProcessTreeAndSaysSo() {
    JsonNode result = exec(body("sleep 1000 & sleep 1000", 2));
    assertThat(result.get("status").asString()).isEqualTo("timed_out");
    assertThat(Shell.run(docker, "sandbar-" + sandbox, "ps -o args | grep -c '[s]leep 1000'"))
        .isEqualTo("0\n");
  }

  @Test
  void killEndsTheWholeProcessTree() {
    String taskId = background("sh -c 'sleep 1000 & sleep 1000'");
    Response killed = api.call("DELETE", tasks() + "/" + taskId, null);
    assertThat(killed.status()).as(killed.body()).isEqualTo(200);

    JsonNode task = awaitTask(taskId, t -> !t.get("status").asString().equals("running"));
    assertThat(task.get("status").asString()).isEqualTo("killed");
    assertThat(Shell.run(docker, "sandbar-" + sandbox, "ps -o args | grep -c '[s]leep 1000'"))
        .isEqualTo("0\n");
  }

  @Test
  void aCommandWaitingOnStdinGetsOneStallNotificationAndCanBeKilled() {
    String session = "stall-" + System.nanoTime();
    String taskId =
        startBackground("printf 'Password: '; read x", 600, session)
            .json()
            .get("taskId")
            .asString();

    JsonNode stalled = awaitTask(taskId, t -> t.get("stalled").asBoolean());
    assertThat(stalled.get("status").asString()).isEqualTo("running");
    List<JsonNode> notes = drain(session, 0);
    assertThat(notes).extracting(n -> n.get("kind").asString()).containsExactly("stalled");

    api.call("DELETE", tasks() + "/" + taskId, null);
    awaitTask(taskId, t -> t.get("status").asString().equals("killed"));
    assertThat(drain(session, 10))
        .extracting(n -> n.get("kind").asString())
        .containsExactly("completed");
  }

  @Test
  void backgroundCommandAnswersAtOnceAndNotifiesItsSession() {
    String session = "bg-" + System.nanoTime();
    Response started = startBackground("sleep 1; echo done", 60, session);
    assertThat(started.json().get("outputFile").asString()).startsWith("/.sandbar/tasks/");

    List<JsonNode> notes = drain(session, 30);
    assertThat(notes).hasSize(1);
    assertThat(notes.get(0).get("status").asString()).isEqualTo("completed");
    assertThat(notes.get(0).get("exitCode").asInt()).isZero();
    assertThat(drain(session, 0)).isEmpty();
  }

  @Test
  void foregroundCommandFlipsToBackgroundWithoutRestarting() {
    String session = "flip-" + System.nanoTime();
    ObjectNode request = body("echo run >> /tmp/flip-count; sleep 3; echo finished", 60);
    request.put("backgroundAfterSeconds", 1);
    request.put("sessionId", session);
    Response flipped = api.call("POST", "/v1/sandboxes/" + sandbox + "/exec", request.toString());
    assertThat(flipped.status()).as(flipped.body()).isEqualTo(202);
    String taskId = flipped.json().get("taskId").asString();

    JsonNode done = awaitTask(taskId, t -> t.get("status").asString().equals("completed"));
    assertThat(done.get("exitCode").asInt()).isZero();
    assertThat(Shell.run(docker, "sandbar-" + sandbox, "grep -c run /tmp/flip-count"))
        .isEqualTo("1\n");
    assertThat(drain(session, 10)).hasSize(1);
  }

  @Test
  void commandSurvivesAWorkerRestartRunsOnceAndReportsItsExitCode() {
    String taskId = background("echo once >> /tmp/restart-count; sleep 3; exit 7");
    SandbarTestSupport.sleep(500);
    worker.kill();
    SandbarTestSupport.sleep(1000);
    worker.start();

    JsonNode task = awaitTask(taskId, t -> !t.get("status").asString().equals("running"));
    assertThat(task.get("status").asString()).isEqualTo("failed");
    assertThat(task.get("exitCode").asInt()).isEqualTo(7);
    assertThat(Shell.run(docker, "sandbar-" + sandbox, "grep -c once /tmp/restart-count"))
        .isEqualTo("1\n");
  }

  @Test
  void aSandboxThatIsNotRunningRejectsExecWithConflict() {
    String paused = api.createRunning("{\"wait\": true}").get("id").asString();
    api.operate(paused, "pause");
    Response rejected = api.exec(paused, body("true", 5).toString(), 409);
    assertThat(rejected.contentType()).startsWith("application/problem+json");
    api.call("DELETE", "/v1/sandboxes/" + paused, null);
  }

  @Test
  void stoppingASandboxKillsItsRunningCommands() {
    String other = api.createRunning("{\"wait\": true}").get("id").asString();
    ObjectNode request = body("sleep 1000", 600);
    request.put("background", true);
    String taskId = api.exec(other, request.toString(), 202).json().get("taskId").asString();

    assertThat(api.operate(other, "stop").get("state").asString()).isEqualTo("stopped");

    String path = "/v1/sandboxes/" + other + "/tasks/" + taskId;
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    JsonNode task = api.call("GET", path, null).json();
    while (task.get("status").asString().equals("running") && System.nanoTime() < deadline) {
      SandbarTestSupport.sleep(200);
      task = api.call("GET", path, null).json();
    }
    assertThat(task.get("status").asString()).isEqualTo("killed");
    api.call("DELETE", "/v1/sandboxes/" + other, null);
  }

  @Test
  void listsTasksOfTheSandbox() {
    String taskId = run("echo listed").get("taskId").asString();
    Response list = api.call("GET", tasks(), null);
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().get("items").valueStream().map(t -> t.get("taskId").asString()))
        .contains(taskId);
    JsonNode task = api.call("GET", tasks() + "/" + taskId, null).json();
    assertThat(task.get("status").asString()).isEqualTo("completed");
    assertThat(task.get("outputTail").asString()).contains("listed");
  }

  private String tasks() {
    return "/v1/sandboxes/" + sandbox + "/tasks";
  }

  private ObjectNode body(String command, int timeoutSeconds) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("command", command);
    body.put("timeoutSeconds", timeoutSeconds);
    return body;
  }

  private JsonNode run(String command) {
    return exec(body(command, 30));
  }

  private JsonNode exec(ObjectNode request) {
    return api.exec(sandbox, request.toString(), 200).json();
  }

  private String background(String command) {
    return startBackground(command, 600, null).json().get("taskId").asString();
  }

  /** Starts {@code command} in the background, notifying {@code session} if not null. */
  private Response startBackground(String command, int timeoutSeconds, String session) {
    ObjectNode request = body(command, timeoutSeconds);
    request.put("background", true);
    if (session != null) {
      request.put("sessionId", session);
    }
    return api.exec(sandbox, request.toString(), 202);
  }

  private JsonNode awaitTask(String taskId, java.util.function.Predicate<JsonNode> condition) {
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      Response response = api.call("GET", tasks() + "/" + taskId, null);
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      last = response.json();
      if (condition.test(last)) {
        return last;
      }
      SandbarTestSupport.sleep(200);
    }
    throw new AssertionError("task " + taskId + " never matched; last: " + last);
  }

  private List<JsonNode> drain(String session, int waitSeconds) {
    String path = "/v1/sandboxes/%s/notifications/drain?sessionId=%s&waitSeconds=%d";
    Response response = api.call("POST", path.formatted(sandbox, session, waitSeconds), null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode cursor = response.json().path("cursor");
    if (cursor.isString()) {
      // Acknowledged, as a client does once it has handled the notices.
      String ack = "/v1/sandboxes/%s/notifications/ack?sessionId=%s&cursor=%s";
      Response acked = api.call("POST", ack.formatted(sandbox, session, cursor.asString()), null);
      assertThat(acked.status()).as(acked.body()).isEqualTo(200);
    }
    return response.json().get("items").valueStream().toList();
  }

  static String utf8(byte[] bytes) {
    return new String(bytes, StandardCharsets.UTF_8);
  }
}
