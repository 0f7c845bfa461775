package dev.sandbar.workflows.model;

/**
 * Starts a {@code TaskStdinWorkflow}: the write, and the host whose worker reaches the container.
 */
public record WriteStdinInput(String hostId, WriteStdin request) {}
