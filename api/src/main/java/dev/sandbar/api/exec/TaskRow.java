package dev.sandbar.api.exec;

import dev.sandbar.workflows.model.TaskStatus;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of the {@code exec_tasks} read model, written only by the command's workflow. Public only
 * because Jdbi's constructor mapper needs it.
 *
 * @param sessionId '' for a command run without a session
 * @param status the wire (lower-case) name of the {@link TaskStatus}
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
    @Nullable String error,
    Instant startedAt,
    @Nullable Instant endedAt) {

  boolean isRunning() {
    return TaskStatus.RUNNING.wire().equals(status);
  }
}
