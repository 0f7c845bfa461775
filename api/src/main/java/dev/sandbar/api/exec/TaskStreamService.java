package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.api.sandbox.SandboxResponse;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.store.task.TaskRow;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.ReadStreams;
import dev.sandbar.workflows.model.ReadStreamsInput;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.StreamsChunk;
import io.temporal.client.WorkflowFailedException;
import java.time.Duration;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

/**
 * Streams commands as server-sent events ({@link TaskStream}): a new one ({@code POST .../exec}
 * with {@code Accept: text/event-stream}) or a running one from offsets ({@code GET
 * .../tasks/{taskId}/output?follow=true}). Everything a request can get wrong is answered as a
 * problem before the stream starts; what goes wrong later ends the stream with an {@code error}
 * event.
 */
@Service
record TaskStreamService(
    TemporalGateway temporal,
    SandboxQueries sandboxes,
    TaskService tasks,
    TaskOutputService output,
    CommandRunner commands) {

  /** The longest a stream stays open: the longest a background command may run, and then some. */
  static final Duration STREAM_TIMEOUT = Duration.ofHours(25);

  private static final Pattern EVENT_ID = Pattern.compile("(\\d{1,18}):(\\d{1,18})");

  /** Starts the command, then streams it from its first byte. */
  SseEmitter exec(
      String tenantId,
      String sandboxId,
      @Nullable RunCommandRequest body,
      @Nullable String encoding) {
    StreamEncoding chosen = StreamEncoding.parse(encoding, "encoding");
    CommandStarted started = commands.startStreamed(tenantId, sandboxId, body);
    boolean background = body != null && Boolean.TRUE.equals(body.background());
    return launch(
        new TaskStream.Target(
            tenantId,
            sandboxId,
            started.taskId(),
            hostOf(sandboxes.get(tenantId, sandboxId)),
            0,
            0,
            chosen,
            !background));
  }

  /**
   * Streams a command from the given offsets; {@code lastEventId} ({@code <stdout>:<stderr>}, the
   * id of the last event a client saw) wins over them, so an EventSource resumes where it broke.
   */
  SseEmitter follow(
      String tenantId,
      String sandboxId,
      String taskId,
      @Nullable Long stdoutOffset,
      @Nullable Long stderrOffset,
      @Nullable String lastEventId,
      @Nullable String encoding) {
    StreamEncoding chosen = StreamEncoding.parse(encoding, "encoding");
    long out = stdoutOffset == null ? 0 : stdoutOffset;
    long err = stderrOffset == null ? 0 : stderrOffset;
    if (lastEventId != null && !lastEventId.isBlank()) {
      Matcher id = EVENT_ID.matcher(lastEventId.trim());
      if (!id.matches()) {
        throw ApiProblem.invalid("Last-Event-ID", "must be <stdoutOffset>:<stderrOffset>");
      }
      out = Long.parseLong(id.group(1));
      err = Long.parseLong(id.group(2));
    }
    if (out < 0) {
      throw ApiProblem.invalid("stdoutOffset", "must not be negative");
    }
    if (err < 0) {
      throw ApiProblem.invalid("stderrOffset", "must not be negative");
    }
    return launch(followTarget(tenantId, sandboxId, taskId, out, err, chosen));
  }

  /**
   * Follows a command from the first byte of its streams into {@code sink} on the calling thread,
   * until it has ended and every byte is sent (or the sink's client is gone). The command is not
   * touched by a broken stream. What a request can get wrong is thrown before the first event.
   */
  void followInto(String tenantId, String sandboxId, String taskId, TaskEventSink sink) {
    new TaskStream(
            followTarget(tenantId, sandboxId, taskId, 0, 0, StreamEncoding.BASE64), this, sink)
        .run();
  }

  private TaskStream.Target followTarget(
      String tenantId,
      String sandboxId,
      String taskId,
      long stdoutOffset,
      long stderrOffset,
      StreamEncoding encoding) {
    SandboxResponse sandbox = sandboxes.get(tenantId, sandboxId);
    tasks.requireTask(tenantId, sandboxId, taskId);
    if (SandboxState.DESTROYED.wire().equals(sandbox.state())) {
      throw ApiProblem.invalidState(
          "sandbox " + sandboxId + " is destroyed: the output of its commands went with it");
    }
    return new TaskStream.Target(
        tenantId, sandboxId, taskId, hostOf(sandbox), stdoutOffset, stderrOffset, encoding, false);
  }

  /** One read of the command's streams on its host; a failure as the problem it means. */
  StreamsChunk read(TaskStream.Target target, ReadStreams request) {
    try {
      return temporal.readStreams(
          target.taskId(),
          new ReadStreamsInput(target.hostId(), request),
          TaskOutputService.OUTPUT_READ_TIMEOUT);
    } catch (WorkflowFailedException e) {
      throw output.outputFailure(target.sandboxId(), target.taskId(), target.hostId(), e);
    }
  }

  /** The task's row as recorded now. */
  Optional<TaskRow> task(TaskStream.Target target) {
    return Optional.of(tasks.requireTask(target.tenantId(), target.sandboxId(), target.taskId()));
  }

  /** Hands a foreground command whose stream broke to the background. */
  void detach(TaskStream.Target target) {
    commands.detach(ExecWorkflow.workflowId(target.sandboxId(), target.taskId()));
  }

  private SseEmitter launch(TaskStream.Target target) {
    SseEmitter emitter = new SseEmitter(STREAM_TIMEOUT.toMillis());
    Thread.ofVirtual()
        .name("sandbar-stream-" + target.taskId())
        .start(new TaskStream(target, this, new SseEventSink(emitter)));
    return emitter;
  }

  private static String hostOf(SandboxResponse sandbox) {
    String hostId = sandbox.hostId();
    if (hostId == null) {
      throw ApiProblem.invalidState("sandbox " + sandbox.id() + " has no container");
    }
    return hostId;
  }
}
