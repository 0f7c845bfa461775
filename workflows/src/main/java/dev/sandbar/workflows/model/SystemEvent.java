package dev.sandbar.workflows.model;

/**
 * A change Sandbar made by itself outside a sandbox workflow (reconciliation): a host marked
 * unreachable or reachable again, a zombie or unclaimed container removed. Audited with actor
 * {@code system}.
 *
 * @param eventId unique (from {@code Workflow.randomUUID}), so a retried write is a no-op
 * @param sandboxId the sandbox the container belonged to, or null for a host event
 * @param tenantId and {@code sandboxSeq}: set when the sandbox is known to the database, so the
 *     event also appears in that sandbox's audit trail
 * @param action {@code host-unreachable}, {@code host-reachable}, {@code remove-zombie} or {@code
 *     remove-unclaimed}
 */
public record SystemEvent(
    String eventId,
    String hostId,
    String sandboxId,
    String tenantId,
    Long sandboxSeq,
    String action,
    String reason,
    long atMs) {

  public static final String HOST_UNREACHABLE = "host-unreachable";
  public static final String HOST_REACHABLE = "host-reachable";
  public static final String REMOVE_ZOMBIE = "remove-zombie";
  public static final String REMOVE_UNCLAIMED = "remove-unclaimed";
}
