package dev.sandbar.api.exec;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/** A drained row of {@code notifications}. Public only because Jdbi's mapper needs it. */
public record NotificationRow(
    long seq,
    String id,
    String taskId,
    String kind,
    String status,
    @Nullable Integer exitCode,
    String message,
    Instant createdAt) {}
