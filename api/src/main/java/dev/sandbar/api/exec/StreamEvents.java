package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.store.task.TaskRow;
import org.jspecify.annotations.Nullable;

/** The data of each server-sent event a command's stream carries, as JSON. */
public final class StreamEvents {

  private StreamEvents() {}

  /**
   * {@code start}: the task being streamed and where each stream starts. Its id (as every event's)
   * is {@code <stdoutOffset>:<stderrOffset>}, what {@code Last-Event-ID} resumes from.
   */
  public record Start(String taskId, long stdoutOffset, long stderrOffset) {}

  /**
   * {@code stdout} or {@code stderr}: new output.
   *
   * @param data UTF-8 text (a character split between reads arrives whole in the later event) or
   *     Base64, as the request's {@code encoding} asked
   * @param offset where in the stream the bytes start
   * @param nextOffset where the next event's bytes start
   */
  public record Data(String data, long offset, long nextOffset) {}

  /**
   * {@code exit}: the command ended and every byte of both streams was sent; the last event.
   *
   * @param status {@code completed}, {@code failed}, {@code killed} or {@code timed_out}
   * @param exitCode null when the command never reported one
   * @param truncated output was cut at the task's cap (each stream keeps its first MiB)
   */
  public record Exit(
      String taskId,
      String status,
      @Nullable Integer exitCode,
      boolean truncated,
      @Nullable String error) {

    static Exit of(TaskRow row) {
      return new Exit(row.id(), row.status(), row.exitCode(), row.truncated(), row.error());
    }
  }

  /**
   * {@code error}: the stream cannot go on (the sandbox stopped, its host is away, ...); the last
   * event. The fields are those of the problem a request would have answered.
   */
  public record Error(String type, String title, int status, String detail) {

    static Error of(ApiProblem problem) {
      return new Error(
          problem.type().type().toString(),
          problem.type().title(),
          problem.type().status().value(),
          problem.getMessage());
    }
  }
}
