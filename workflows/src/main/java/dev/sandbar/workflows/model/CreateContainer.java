package dev.sandbar.workflows.model;

/** Everything a host needs to create a sandbox's container and data volume. */
public record CreateContainer(String sandboxId, String tenantId, String hostId, SandboxSpec spec) {}
