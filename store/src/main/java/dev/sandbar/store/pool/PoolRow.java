package dev.sandbar.store.pool;

import java.time.Instant;

/**
 * One container of a host's warm pool, as the read model holds it.
 *
 * @param state {@code ready} (claimable), {@code claimed} (handed to {@code sandboxId}) or {@code
 *     retiring} (being removed by the pool)
 * @param sandboxState the claiming sandbox's state, null while unclaimed or when its row is gone
 */
public record PoolRow(
    String slotId,
    String hostId,
    String image,
    String containerName,
    String volumeName,
    String state,
    String sandboxId,
    String sandboxState,
    Instant createdAt,
    Instant claimedAt) {

  public static final String READY = "ready";
  public static final String CLAIMED = "claimed";
  public static final String RETIRING = "retiring";
}
