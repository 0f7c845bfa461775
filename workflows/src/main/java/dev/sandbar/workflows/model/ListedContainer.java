package dev.sandbar.workflows.model;

/**
 * One container of this installation found on a host by the reconciliation listing.
 *
 * @param tenantId from the container's label; empty or null when it has none
 * @param exitCode the exit code Docker reports for an exited container, else null
 * @param createdAtMs when Docker created the container (the host's clock), for the safety age
 * @param health what Docker's health check says (null from listings made before health was read)
 */
public record ListedContainer(
    String sandboxId,
    String tenantId,
    String containerId,
    ContainerStatus status,
    Integer exitCode,
    long createdAtMs,
    Health health) {

  /** A container whose health was not read. */
  public ListedContainer(
      String sandboxId,
      String tenantId,
      String containerId,
      ContainerStatus status,
      Integer exitCode,
      long createdAtMs) {
    this(sandboxId, tenantId, containerId, status, exitCode, createdAtMs, null);
  }
}
