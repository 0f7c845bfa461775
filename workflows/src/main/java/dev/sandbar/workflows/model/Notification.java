package dev.sandbar.workflows.model;

/**
 * A message for the agent that owns (sandbox, session): a command completed or stalled.
 *
 * @param id unique per event, so a retried write is a no-op
 * @param kind {@code completed} or {@code stalled}
 */
public record Notification(
    String id,
    String sandboxId,
    String tenantId,
    String sessionId,
    String taskId,
    String kind,
    TaskStatus status,
    Integer exitCode,
    String message,
    long atMs) {}
