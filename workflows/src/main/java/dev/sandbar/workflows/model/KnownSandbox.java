package dev.sandbar.workflows.model;

/** A sandbox as the read model has it, for reconciliation: where, in what state, at which seq. */
public record KnownSandbox(
    String id, String tenantId, String hostId, SandboxState state, long seq) {}
