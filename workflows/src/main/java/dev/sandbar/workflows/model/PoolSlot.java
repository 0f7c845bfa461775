package dev.sandbar.workflows.model;

/**
 * One container of a host's warm pool. Its Docker names come from the slot id, so a retried create
 * or removal finds what an earlier attempt made; a claim renames the container to the sandbox's
 * name, while the data volume (Docker cannot rename volumes) keeps {@link #volumeName()}.
 */
public record PoolSlot(String slotId, String image) {

  /** What pool container and volume names start with after {@code sandbar-}. */
  public static final String NAME_PREFIX = "sandbar-pool-";

  public String containerName() {
    return NAME_PREFIX + slotId;
  }

  public String volumeName() {
    return "sandbar-data-pool-" + slotId;
  }
}
