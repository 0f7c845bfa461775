package dev.sandbar.store.notification;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code notifications}. {@code seq} is assigned by the database on insert and orders a
 * session's notices; {@code kind} is {@code completed} or {@code stalled}, {@code status} the
 * task's wire status at that moment.
 *
 * @param sessionId '' for a command run without a session, never null
 */
public record NotificationRow(
    long seq,
    String id,
    String sandboxId,
    String tenantId,
    String sessionId,
    String taskId,
    String kind,
    String status,
    @Nullable Integer exitCode,
    String message,
    Instant createdAt) {}
