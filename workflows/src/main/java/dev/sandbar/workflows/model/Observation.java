package dev.sandbar.workflows.model;

/**
 * What a host reports about a sandbox (start-up recovery, reconciliation): the state its container
 * is really in.
 */
public record Observation(SandboxState state, String hostId, String containerId, String reason) {}
