package dev.sandbar.workflows.model;

/** A create asking for a ready pool container of {@code image} on {@code hostId}. */
public record PoolClaim(String sandboxId, String hostId, String image) {}
