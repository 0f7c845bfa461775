package dev.sandbar.workflows.model;

/**
 * A stored archive of a sandbox's data path.
 *
 * @param status {@code ready}, {@code deleted} or {@code quarantined}
 */
public record ArchiveInfo(
    String archiveId,
    String sandboxId,
    String tenantId,
    String hostId,
    long sizeBytes,
    String sha256,
    long createdAtMs,
    String status) {}
