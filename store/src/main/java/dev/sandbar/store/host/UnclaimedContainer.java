package dev.sandbar.store.host;

import java.time.Instant;

/**
 * A container of this installation found on a host that belongs to no sandbox the database knows,
 * as the host's last reconciliation reported it.
 *
 * @param sandboxId the sandbox id label the container carries (null when it carries none)
 * @param hasVolume whether the container has a data volume; such a container is never removed
 * @param firstSeenAt when a reconciliation first reported it: a safety age counts from here
 * @param lastSeenAt when a reconciliation last reported it
 */
public record UnclaimedContainer(
    String hostId,
    String containerId,
    String name,
    String sandboxId,
    boolean hasVolume,
    Instant firstSeenAt,
    Instant lastSeenAt) {

  /** What a reconciliation reports of one unclaimed container. */
  public record Found(String containerId, String name, String sandboxId, boolean hasVolume) {}
}
