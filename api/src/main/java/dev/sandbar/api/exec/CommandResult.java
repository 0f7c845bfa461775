package dev.sandbar.api.exec;

import dev.sandbar.store.task.TaskRow;
import dev.sandbar.workflows.model.ExecResult;
import java.time.Duration;
import org.jspecify.annotations.Nullable;

/**
 * How a foreground command ended (200).
 *
 * @param status {@code completed}, {@code failed}, {@code killed} or {@code timed_out}
 * @param exitCode null when the command never reported one (killed, timed out, lost)
 * @param truncated true when stdout or stderr was cut at its cap, or the stored output at the
 *     task's
 * @param error why the command did not complete normally, if it did not
 */
record CommandResult(
    String taskId,
    String status,
    @Nullable Integer exitCode,
    String stdout,
    String stderr,
    long durationMs,
    boolean truncated,
    @Nullable String error)
    implements ExecAnswer {

  static CommandResult of(ExecResult result) {
    return new CommandResult(
        result.taskId(),
        result.status().wire(),
        result.exitCode(),
        result.stdout() == null ? "" : result.stdout(),
        result.stderr() == null ? "" : result.stderr(),
        result.durationMs(),
        result.truncated(),
        result.error());
  }

  /**
   * From the task's row, for a command whose workflow ended without a result (killed): the row has
   * no stdout or stderr, only the output's tail, which is read from the task or its output.
   */
  static CommandResult of(TaskRow row) {
    return new CommandResult(
        row.id(),
        row.status(),
        row.exitCode(),
        "",
        "",
        row.endedAt() == null
            ? 0
            : Math.max(0, Duration.between(row.startedAt(), row.endedAt()).toMillis()),
        row.truncated(),
        row.error());
  }
}
