package dev.sandbar.workflows.model;

/**
 * Starts a {@code TaskOutputWorkflow}: which slice of a command's log to read, and the host whose
 * worker can reach the sandbox's container.
 */
public record ReadOutputInput(String hostId, ReadOutput request) {}
