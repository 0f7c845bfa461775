package dev.sandbar.api.exec;

import dev.sandbar.workflows.model.ExecResult;
import org.jspecify.annotations.Nullable;

/**
 * How a foreground command ended (200).
 *
 * @param status {@code completed}, {@code failed}, {@code killed} or {@code timed_out}
 * @param exitCode null when the command never reported one (killed, timed out, lost)
 * @param truncated true when stdout or stderr was cut at its cap
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
}
