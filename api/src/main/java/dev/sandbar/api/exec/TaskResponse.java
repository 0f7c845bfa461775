package dev.sandbar.api.exec;

import dev.sandbar.store.task.TaskRow;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A command as the API shows it.
 *
 * @param sessionId '' when the command was run without a session
 * @param background true once the command runs in the background (from the start, or after {@code
 *     backgroundAfterSeconds})
 * @param status {@code running}, {@code completed}, {@code failed}, {@code killed} or {@code
 *     timed_out}
 * @param stalled true once the command was seen waiting on a prompt for input
 * @param outputTail the end of the combined output, once the command has ended
 * @param outputBytes the size of the output log, once the command has ended
 * @param truncated whether output was cut: stdout or stderr at the result's cap, or the stored
 *     output at the task's cap ({@code SANDBAR_TASK_OUTPUT_CAP_BYTES}), past which the log stopped
 *     growing
 */
record TaskResponse(
    String taskId,
    String sandboxId,
    String sessionId,
    @Nullable String description,
    String command,
    @Nullable String cwd,
    boolean background,
    String status,
    @Nullable Integer exitCode,
    boolean stalled,
    String outputFile,
    @Nullable String outputTail,
    long outputBytes,
    boolean truncated,
    @Nullable String error,
    Instant startedAt,
    @Nullable Instant endedAt) {

  static TaskResponse of(TaskRow row) {
    return new TaskResponse(
        row.id(),
        row.sandboxId(),
        row.sessionId(),
        row.description(),
        row.command(),
        row.cwd(),
        row.background(),
        row.status(),
        row.exitCode(),
        row.stalled(),
        row.outputFile(),
        row.outputTail(),
        row.outputBytes(),
        row.truncated(),
        row.error(),
        row.startedAt(),
        row.endedAt());
  }
}
