package dev.sandbar.workflows.model;

/**
 * Starts a {@code TaskStreamWorkflow}: the read, and the host whose worker reaches the container.
 */
public record ReadStreamsInput(String hostId, ReadStreams request) {}
