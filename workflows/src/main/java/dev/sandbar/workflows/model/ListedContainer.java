package dev.sandbar.workflows.model;

/**
 * One container of this installation found on a host by the reconciliation listing.
 *
 * @param tenantId from the container's label; empty or null when it has none
 * @param exitCode the exit code Docker reports for an exited container, else null
 * @param createdAtMs when Docker created the container (the host's clock), for the safety age
 */
public record ListedContainer(
    String sandboxId,
    String tenantId,
    String containerId,
    ContainerStatus status,
    Integer exitCode,
    long createdAtMs) {}
