package dev.sandbar.activities.container;

import dev.sandbar.workflows.model.ContainerStatus;

/**
 * A Sandbar-managed container found on a host, as read from its labels; what recovery and
 * reconciliation compare against the sandboxes they know.
 */
public record SandboxContainer(
    String sandboxId, String tenantId, String containerId, ContainerStatus status) {}
