package dev.sandbar.workflows.model;

/** Starts an {@code ExecWorkflow}: the request plus where it runs. */
public record ExecInput(String sandboxId, String tenantId, String hostId, ExecRequest request) {}
