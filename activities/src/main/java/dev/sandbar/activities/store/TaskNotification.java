package dev.sandbar.activities.store;

import java.time.Instant;

/**
 * One row of {@code notifications}. {@code seq} is assigned by the database on insert and orders a
 * session's notices; {@code kind} is {@code completed} or {@code stalled}, {@code status} the
 * task's wire status at that moment.
 */
public record TaskNotification(
    long seq,
    String id,
    String sandboxId,
    String tenantId,
    String sessionId,
    String taskId,
    String kind,
    String status,
    Integer exitCode,
    String message,
    Instant createdAt) {}
