package dev.sandbar.workflows.model;

/**
 * A command's row in the {@code exec_tasks} read model.
 *
 * @param result null while running
 */
public record TaskRecord(
    String sandboxId,
    String tenantId,
    ExecRequest request,
    String outputFile,
    TaskStatus status,
    boolean stalled,
    long startedAtMs,
    ExecResult result) {}
