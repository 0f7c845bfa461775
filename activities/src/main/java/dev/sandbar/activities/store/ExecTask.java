package dev.sandbar.activities.store;

import java.time.Instant;

/**
 * One row of {@code exec_tasks}. {@code status} is the wire form of {@link
 * dev.sandbar.workflows.model.TaskStatus}; {@code endedAt} is null exactly while it is {@code
 * running}. {@code sessionId} is empty, never null, for a command outside any session.
 */
public record ExecTask(
    String id,
    String sandboxId,
    String tenantId,
    String sessionId,
    String description,
    String command,
    String cwd,
    boolean background,
    String status,
    Integer exitCode,
    boolean stalled,
    String outputFile,
    String outputTail,
    long outputBytes,
    String error,
    Instant startedAt,
    Instant endedAt) {}
