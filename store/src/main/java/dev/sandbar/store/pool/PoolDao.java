package dev.sandbar.store.pool;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The warm pool's rows: written by the host's pool workflow (ready, retiring, forgotten) and by a
 * sandbox's create (claimed). The claim is one guarded update, so two creates never take the same
 * container, and a retried claim finds the container it took before.
 */
@RegisterConstructorMapper(PoolRow.class)
public interface PoolDao {

  String COLUMNS =
      """
      p.slot_id, p.host_id, p.image, p.container_name, p.volume_name, p.state, p.sandbox_id,
      s.state as sandbox_state, p.created_at, p.claimed_at
      """;

  /**
   * The container {@code sandboxId} claimed before, else the oldest ready one of {@code image} on
   * {@code hostId}, now claimed by it; empty when the pool has none.
   */
  @Transaction
  default Optional<PoolRow> claim(String sandboxId, String hostId, String image) {
    Optional<PoolRow> earlier = claimedBy(sandboxId);
    if (earlier.isPresent()) {
      return earlier;
    }
    takeOldestReady(sandboxId, hostId, image);
    return claimedBy(sandboxId);
  }

  @SqlUpdate(
      """
      update pool_containers set state = 'claimed', sandbox_id = :sandboxId, claimed_at = now()
      where slot_id = (
          select slot_id from pool_containers
          where host_id = :hostId and image = :image and state = 'ready'
          order by created_at, slot_id
          limit 1
          for update skip locked)
      """)
  int takeOldestReady(
      @Bind("sandboxId") String sandboxId,
      @Bind("hostId") String hostId,
      @Bind("image") String image);

  @SqlQuery(
      "select "
          + COLUMNS
          + " from pool_containers p left join sandboxes s on s.id = p.sandbox_id"
          + " where p.sandbox_id = :sandboxId")
  Optional<PoolRow> claimedBy(@Bind("sandboxId") String sandboxId);

  /** Records a started pool container as claimable; a second call changes nothing. */
  @SqlUpdate(
      """
      insert into pool_containers (slot_id, host_id, image, container_name, volume_name, state)
      values (:slotId, :hostId, :image, :containerName, :volumeName, 'ready')
      on conflict (slot_id) do nothing
      """)
  void add(
      @Bind("slotId") String slotId,
      @Bind("hostId") String hostId,
      @Bind("image") String image,
      @Bind("containerName") String containerName,
      @Bind("volumeName") String volumeName);

  /**
   * Takes a container out of the pool before it is removed: true when it is (now or already)
   * retiring or unknown, false when a create claimed it first (it is then that sandbox's).
   */
  @Transaction
  default boolean retire(String slotId) {
    markRetiring(slotId);
    return !Boolean.TRUE.equals(isClaimed(slotId).orElse(false));
  }

  @SqlUpdate(
      "update pool_containers set state = 'retiring' where slot_id = :slotId and state = 'ready'")
  int markRetiring(@Bind("slotId") String slotId);

  @SqlQuery("select state = 'claimed' from pool_containers where slot_id = :slotId")
  Optional<Boolean> isClaimed(@Bind("slotId") String slotId);

  /**
   * Forgets a container that was removed; a claimed one's row is only forgotten with its volume.
   */
  @SqlUpdate("delete from pool_containers where slot_id = :slotId")
  void forget(@Bind("slotId") String slotId);

  /** Every pool row of {@code hostId}, with the claiming sandbox's state, oldest first. */
  @SqlQuery(
      "select "
          + COLUMNS
          + " from pool_containers p left join sandboxes s on s.id = p.sandbox_id"
          + " where p.host_id = any(:hostIds) order by p.host_id, p.created_at, p.slot_id")
  List<PoolRow> onHosts(@Bind("hostIds") String[] hostIds);
}
