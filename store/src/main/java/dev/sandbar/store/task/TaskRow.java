package dev.sandbar.store.task;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of the {@code exec_tasks} read model, written only by the command's workflow (through the
 * task store activity) and read by the API.
 *
 * @param sessionId '' for a command run without a session, never null
 * @param status the wire (lower-case) name of the {@code TaskStatus}
 * @param truncated whether output was cut: stdout or stderr at the result's cap, or the stored
 *     output at the task's cap
 * @param endedAt null exactly while the task is running
 */
public record TaskRow(
    String id,
    String sandboxId,
    String tenantId,
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

  /** The wire name of {@code TaskStatus.RUNNING}, as the schema's check constraint spells it. */
  static final String RUNNING = "running";

  public boolean isRunning() {
    return RUNNING.equals(status);
  }
}
