package dev.sandbar.workflows.model;

/** Starts a {@code SandboxMetricsWorkflow}: the sandbox and the host whose worker can reach it. */
public record MetricsInput(String hostId, ContainerRef container) {}
