package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.exec.StreamEvents;
import dev.sandbar.api.exec.TaskEventSink;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A followed command's events as envd's {@code process.ProcessEvent} messages (each wrapped as
 * {@code {"event": ...}}, the shape of {@code StartResponse} and {@code ConnectResponse}): start
 * with the pid, data with stdout or stderr bytes (Base64, as proto3 JSON carries bytes), keepalive,
 * and end. An error the stream ends on becomes the Connect error of the end-of-stream message.
 */
final class ProcessEventFrames implements TaskEventSink {

  private final ConnectStream stream;
  private final int pid;
  private @Nullable ConnectException error;

  ProcessEventFrames(ConnectStream stream, int pid) {
    this.stream = stream;
    this.pid = pid;
  }

  @Override
  public void send(String name, String id, Object data) throws IOException {
    switch (name) {
      case "start" -> event("start", Map.of("pid", pid));
      case "stdout", "stderr" -> event("data", Map.of(name, ((StreamEvents.Data) data).data()));
      case "exit" -> event("end", end((StreamEvents.Exit) data));
      case "error" -> {
        StreamEvents.Error problem = (StreamEvents.Error) data;
        error = new ConnectException(codeOf(problem.status()), problem.detail());
      }
      default -> throw new IllegalArgumentException("unknown event " + name);
    }
  }

  @Override
  public void keepAlive() throws IOException {
    event("keepalive", Map.of());
  }

  @Override
  public void complete() throws IOException {
    stream.end(error);
  }

  private void event(String kind, Object value) throws IOException {
    stream.message(Map.of("event", Map.of(kind, value)));
  }

  /**
   * envd's end event as Go reports a process's end: a command that exited has {@code exited} and
   * {@code "exit status N"}; one Sandbar killed (a signal, a timeout, its sandbox stopping) has
   * not, and exit code -1 unless the wrapper recorded one.
   */
  static Map<String, Object> end(StreamEvents.Exit exit) {
    Integer code = exit.exitCode();
    boolean exited =
        code != null && !exit.status().equals("killed") && !exit.status().equals("timed_out");
    Map<String, Object> end = new LinkedHashMap<>();
    end.put("exitCode", code == null ? -1 : code);
    end.put("exited", exited);
    end.put("status", exited ? "exit status " + code : statusOf(exit.status()));
    String error = exit.error();
    if (error != null && !error.isBlank()) {
      end.put("error", error);
    } else if (!exited) {
      end.put("error", statusOf(exit.status()));
    }
    return end;
  }

  /** The code for the status of the problem a stream ended on (the sandbox stopped, ...). */
  private static ConnectCode codeOf(int status) {
    return switch (status) {
      case 404 -> ConnectCode.NOT_FOUND;
      case 409 -> ConnectCode.FAILED_PRECONDITION;
      case 503 -> ConnectCode.UNAVAILABLE;
      default -> status < 500 ? ConnectCode.INVALID_ARGUMENT : ConnectCode.INTERNAL;
    };
  }

  private static String statusOf(String taskStatus) {
    return switch (taskStatus) {
      case "killed" -> "signal: killed";
      case "timed_out" -> "signal: killed (the command ran past its timeout)";
      default -> taskStatus;
    };
  }
}
