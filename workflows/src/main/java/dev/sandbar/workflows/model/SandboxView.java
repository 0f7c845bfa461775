package dev.sandbar.workflows.model;

/**
 * The sandbox as its workflow sees it: what updates answer and queries return.
 *
 * @param error reason of the last failure, kept while the sandbox is in {@code error}
 * @param archiveId the archive written by the last preserving destroy or snapshot, or null
 */
public record SandboxView(
    String sandboxId,
    String tenantId,
    String hostId,
    SandboxState state,
    String containerId,
    String error,
    SandboxSpec spec,
    long createdAtMs,
    long updatedAtMs,
    long lastActivityAtMs,
    String archiveId) {}
