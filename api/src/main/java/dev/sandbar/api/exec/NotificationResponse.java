package dev.sandbar.api.exec;

import dev.sandbar.store.notification.NotificationRow;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A notice for the agent that owns a session: a command completed or stalled.
 *
 * @param kind {@code completed} or {@code stalled}
 * @param status the task's status when the notice was written
 */
record NotificationResponse(
    String id,
    String taskId,
    String kind,
    String status,
    @Nullable Integer exitCode,
    String message,
    Instant createdAt) {

  static NotificationResponse of(NotificationRow row) {
    return new NotificationResponse(
        row.id(),
        row.taskId(),
        row.kind(),
        row.status(),
        row.exitCode(),
        row.message(),
        row.createdAt());
  }
}
