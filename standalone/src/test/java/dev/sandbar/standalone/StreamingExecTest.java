package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.standalone.EventStream.Event;
import dev.sandbar.worker.HostWorker;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/** Streamed exec (server-sent events), following a task, and writing a command's stdin. */
class StreamingExecTest extends OneSandboxTest {

  @Autowired HostWorker worker;

  @Test
  void streamsStdoutAndStderrApartWhileTheCommandRunsThenItsExit() {
    try (EventStream stream =
        EventStream.open(
            port,
            "POST",
            "/v1/sandboxes/" + sandbox + "/exec",
            "{\"command\": \"echo one; echo err >&2; sleep 3; echo two; exit 3\"}",
            Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      assertThat(stream.contentType()).startsWith("text/event-stream");
      Event start = stream.next();
      assertThat(start.name()).isEqualTo("start");
      String taskId = start.data().get("taskId").asString();

      Event first = nextOf(stream, "stdout");
      assertThat(first.data().get("data").asString()).isEqualTo("one\n");
      // The first line arrived while the command still ran (it sleeps before its second line).
      Response task = api.call("GET", tasks() + "/" + taskId, null);
      assertThat(task.json().get("status").asString()).isEqualTo("running");

      List<Event> rest = stream.rest();
      Event exit = rest.getLast();
      assertThat(exit.name()).isEqualTo("exit");
      assertThat(exit.data().get("exitCode").asInt()).isEqualTo(3);
      assertThat(exit.data().get("taskId").asString()).isEqualTo(taskId);
      List<Event> all = new ArrayList<>(List.of(first));
      all.addAll(rest);
      assertThat(text(all, "stdout")).isEqualTo("one\ntwo\n");
      assertThat(text(rest, "stderr")).isEqualTo("err\n");
    }
  }

  @Test
  void aStreamOutlivesAWorkerRestartAndTheCommandRunsOnce() {
    try (EventStream stream =
        EventStream.open(
            port,
            "POST",
            "/v1/sandboxes/" + sandbox + "/exec",
            "{\"command\": \"echo run >> /tmp/stream-runs; echo before; sleep 4; echo after\"}",
            Map.of())) {
      assertThat(nextOf(stream, "stdout").data().get("data").asString()).isEqualTo("before\n");
      worker.kill();
      SandbarTestSupport.sleep(1000);
      worker.start();

      List<Event> rest = stream.rest();
      assertThat(text(rest, "stdout")).isEqualTo("after\n");
      assertThat(rest.getLast().name()).isEqualTo("exit");
      assertThat(rest.getLast().data().get("exitCode").asInt()).isZero();
    }
    assertThat(Shell.run(docker, "sandbar-" + sandbox, "grep -c run /tmp/stream-runs"))
        .isEqualTo("1\n");
  }

  @Test
  void followsABackgroundTaskFromAnOffsetAndFromLastEventId() {
    Response started =
        api.exec(
            sandbox,
            "{\"command\": \"printf abcdef; printf XY >&2; sleep 2; printf ghi\","
                + " \"background\": true}",
            202);
    String taskId = started.json().get("taskId").asString();

    try (EventStream stream =
        EventStream.open(
            port,
            "GET",
            tasks() + "/" + taskId + "/output?follow=true&stdoutOffset=3&stderrOffset=1",
            null,
            Map.of())) {
      assertThat(stream.status()).isEqualTo(200);
      List<Event> events = stream.rest();
      assertThat(events.getFirst().name()).isEqualTo("start");
      assertThat(text(events, "stdout")).isEqualTo("defghi");
      assertThat(text(events, "stderr")).isEqualTo("Y");
      assertThat(events.getLast().name()).isEqualTo("exit");
      assertThat(events.getLast().data().get("exitCode").asInt()).isZero();
    }

    try (EventStream resumed =
        EventStream.open(
            port,
            "GET",
            tasks() + "/" + taskId + "/output?follow=true&encoding=base64",
            null,
            Map.of("Last-Event-ID", "6:2"))) {
      List<Event> events = resumed.rest();
      String stdout =
          events.stream()
              .filter(e -> e.name().equals("stdout"))
              .map(e -> new String(Base64.getDecoder().decode(e.data().get("data").asString())))
              .reduce("", String::concat);
      assertThat(stdout).isEqualTo("ghi");
      assertThat(text(events, "stderr")).isEmpty();
    }
  }

  @Test
  void stdinWritesReachTheCommandAndCloseEndsIt() {
    String taskId =
        api.exec(sandbox, "{\"command\": \"cat\", \"background\": true, \"stdin\": true}", 202)
            .json()
            .get("taskId")
            .asString();
    Response written =
        api.call("POST", tasks() + "/" + taskId + "/stdin", "{\"data\": \"héllo\\n\"}");
    assertThat(written.status()).as(written.body()).isEqualTo(204);
    String world = Base64.getEncoder().encodeToString("world\n".getBytes(StandardCharsets.UTF_8));
    written =
        api.call(
            "POST",
            tasks() + "/" + taskId + "/stdin",
            "{\"data\": \"" + world + "\", \"encoding\": \"base64\"}");
    assertThat(written.status()).as(written.body()).isEqualTo(204);
    Response closed = api.call("POST", tasks() + "/" + taskId + "/stdin/close", null);
    assertThat(closed.status()).as(closed.body()).isEqualTo(204);

    try (EventStream stream =
        EventStream.open(
            port, "GET", tasks() + "/" + taskId + "/output?follow=true", null, Map.of())) {
      List<Event> events = stream.rest();
      assertThat(text(events, "stdout")).isEqualTo("héllo\nworld\n");
      assertThat(events.getLast().name()).isEqualTo("exit");
      assertThat(events.getLast().data().get("status").asString()).isEqualTo("completed");
      assertThat(events.getLast().data().get("exitCode").asInt()).isZero();
    }

    Response afterEnd = api.call("POST", tasks() + "/" + taskId + "/stdin", "{\"data\": \"x\"}");
    assertThat(afterEnd.status()).as(afterEnd.body()).isEqualTo(409);
    assertThat(afterEnd.contentType()).startsWith("application/problem+json");
  }

  @Test
  void stdinOfACommandRunWithoutStdinIsRefused() {
    String taskId =
        api.exec(sandbox, "{\"command\": \"sleep 30\", \"background\": true}", 202)
            .json()
            .get("taskId")
            .asString();
    Response refused = api.call("POST", tasks() + "/" + taskId + "/stdin", "{\"data\": \"x\"}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(409);
    assertThat(refused.json().get("detail").asString()).contains("stdin: true");
    api.call("DELETE", tasks() + "/" + taskId, null);
  }

  @Test
  void badStreamRequestsAreProblemsBeforeAnyCommandStarts() {
    try (EventStream badEncoding =
        EventStream.open(
            port,
            "POST",
            "/v1/sandboxes/" + sandbox + "/exec?encoding=latin1",
            "{\"command\": \"echo never\"}",
            Map.of())) {
      assertThat(badEncoding.status()).isEqualTo(400);
      assertThat(badEncoding.contentType()).startsWith("application/problem+json");
    }
    try (EventStream unknown =
        EventStream.open(
            port, "POST", "/v1/sandboxes/sbx-nope/exec", "{\"command\": \"true\"}", Map.of())) {
      assertThat(unknown.status()).isEqualTo(404);
      assertThat(unknown.contentType()).startsWith("application/problem+json");
    }
    Response tasks = api.call("GET", tasks() + "?limit=100", null);
    assertThat(tasks.body()).doesNotContain("echo never");
  }

  private String tasks() {
    return "/v1/sandboxes/" + sandbox + "/tasks";
  }

  private static Event nextOf(EventStream stream, String name) {
    for (Event e = stream.next(); e != null; e = stream.next()) {
      if (e.name().equals(name)) {
        return e;
      }
    }
    throw new AssertionError("the stream ended without a " + name + " event");
  }

  private static String text(List<Event> events, String name) {
    StringBuilder text = new StringBuilder();
    events.stream()
        .filter(e -> e.name().equals(name))
        .forEach(e -> text.append(e.data().get("data").asString()));
    return text.toString();
  }
}
