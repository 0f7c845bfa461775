package dev.sandbar.store.sandbox;

import java.time.Instant;

/**
 * The part of a {@code sandboxes} row that its workflow owns. {@code state} is the wire form of
 * {@code SandboxState}.
 */
public record SandboxStatus(
    String id,
    String state,
    String hostId,
    String containerId,
    String error,
    long seq,
    String archiveId,
    Instant updatedAt,
    Instant lastActivityAt) {}
