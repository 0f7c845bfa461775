package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.store.task.TaskRow;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ReadStreams;
import dev.sandbar.workflows.model.StreamsChunk;
import java.io.IOException;
import java.time.Duration;
import java.util.Base64;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One client following one command: reads the task's stdout and stderr files on from the client's
 * offsets through {@link TaskStreamService#read} (each read waits a few seconds in the container
 * for output, so an idle command costs one exec per wait, not a busy loop) and sends what it finds
 * as events to a {@link TaskEventSink} (server-sent events, or E2B's Connect frames) until the
 * command has ended and both streams are sent. Runs on a virtual thread: a stream that waits holds
 * no platform thread.
 */
final class TaskStream implements Runnable {

  private static final Logger log = LoggerFactory.getLogger(TaskStream.class);

  /** Bytes of each stream one read asks for. */
  static final int READ_BYTES = 64 * 1024;

  /** How long one read waits in the container for output. */
  static final Duration READ_WAIT = Duration.ofSeconds(3);

  /**
   * Quiet time after which a comment is sent, so proxies keep the stream and a gone client shows.
   */
  static final Duration KEEP_ALIVE = Duration.ofSeconds(15);

  /** How long the end of a drained command waits for its workflow to record how it ended. */
  static final Duration END_RECORD_WAIT = Duration.ofSeconds(15);

  /**
   * What to stream, from where, and whether a broken stream hands the command to the background.
   */
  record Target(
      String tenantId,
      String sandboxId,
      String taskId,
      String hostId,
      long stdoutOffset,
      long stderrOffset,
      StreamEncoding encoding,
      boolean detachOnBreak) {}

  private final Target target;
  private final TaskStreamService service;
  private final TaskEventSink sink;
  private final StreamText stdout;
  private final StreamText stderr;
  private long stdoutOffset;
  private long stderrOffset;
  private long lastSentNanos = System.nanoTime();

  TaskStream(Target target, TaskStreamService service, TaskEventSink sink) {
    this.target = target;
    this.service = service;
    this.sink = sink;
    this.stdout = new StreamText(target.encoding());
    this.stderr = new StreamText(target.encoding());
    this.stdoutOffset = target.stdoutOffset();
    this.stderrOffset = target.stderrOffset();
  }

  @Override
  public void run() {
    try {
      send(
          "start",
          new StreamEvents.Start(target.taskId(), target.stdoutOffset(), target.stderrOffset()));
      follow();
      sink.complete();
    } catch (IOException | IllegalStateException gone) {
      // The client went away (or the request timed out): the command goes on regardless.
      log.debug("stream of task {} ended early: {}", target.taskId(), gone.toString());
      if (target.detachOnBreak()) {
        service.detach(target);
      }
    } catch (ApiProblem problem) {
      sendError(problem);
    } catch (RuntimeException e) {
      log.error("stream of task {} failed", target.taskId(), e);
      sendError(ApiProblem.of(ProblemType.INTERNAL, "the stream failed"));
    }
  }

  private void follow() throws IOException {
    CommandRef ref = new CommandRef(target.sandboxId(), target.taskId());
    while (true) {
      StreamsChunk chunk =
          service.read(
              target,
              new ReadStreams(ref, stdoutOffset, stderrOffset, READ_BYTES, READ_WAIT.toMillis()));
      boolean drained = chunk.drained();
      boolean got = sendData("stdout", stdout, chunk.stdout(), drained);
      got |= sendData("stderr", stderr, chunk.stderr(), drained);
      if (drained) {
        sendExit(ref, chunk);
        return;
      }
      if (!got) {
        // Nothing new and no exit file: the task may still have ended without one (its container
        // restarted, or its files were removed), which only its row can tell.
        Optional<TaskRow> ended = service.task(target).filter(row -> !row.isRunning());
        if (ended.isPresent() && (chunk.exitCode() == null || !chunk.known())) {
          send("exit", StreamEvents.Exit.of(ended.get()));
          return;
        }
        keepAlive();
      }
    }
  }

  /** Sends one stream's new bytes, if any; true if there were some. */
  private boolean sendData(String name, StreamText text, String base64, boolean end)
      throws IOException {
    byte[] bytes = Base64.getDecoder().decode(base64);
    if (bytes.length == 0 && !end) {
      return false;
    }
    boolean isStdout = name.equals("stdout");
    long from = isStdout ? stdoutOffset : stderrOffset;
    long next = from + bytes.length;
    if (isStdout) {
      stdoutOffset = next;
    } else {
      stderrOffset = next;
    }
    String data = text.next(bytes, end);
    if (!data.isEmpty()) {
      send(name, new StreamEvents.Data(data, from, next));
    }
    return bytes.length > 0;
  }

  /** The exit event, once the workflow has recorded how the command ended. */
  private void sendExit(CommandRef ref, StreamsChunk chunk) throws IOException {
    long deadline = System.nanoTime() + END_RECORD_WAIT.toNanos();
    long pauseMs = 20;
    while (true) {
      Optional<TaskRow> row = service.task(target);
      if (row.isPresent() && !row.get().isRunning()) {
        send("exit", StreamEvents.Exit.of(row.get()));
        return;
      }
      if (System.nanoTime() > deadline) {
        // The exit code is in the container; the workflow records it once its worker is back.
        log.warn("task {} ended but its end is not recorded yet", ref.taskId());
        send(
            "exit",
            new StreamEvents.Exit(
                ref.taskId(), "running", chunk.exitCode(), chunk.truncated(), null));
        return;
      }
      pause(pauseMs);
      pauseMs = Math.min(pauseMs * 2, 500);
    }
  }

  private void keepAlive() throws IOException {
    if (System.nanoTime() - lastSentNanos > KEEP_ALIVE.toNanos()) {
      sink.keepAlive();
      lastSentNanos = System.nanoTime();
    }
  }

  private void send(String name, Object data) throws IOException {
    sink.send(name, stdoutOffset + ":" + stderrOffset, data);
    lastSentNanos = System.nanoTime();
  }

  private void sendError(ApiProblem problem) {
    try {
      send("error", StreamEvents.Error.of(problem));
      sink.complete();
    } catch (IOException | IllegalStateException gone) {
      log.debug("stream of task {} closed before its error was sent", target.taskId());
    }
  }

  private static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted", e);
    }
  }
}
