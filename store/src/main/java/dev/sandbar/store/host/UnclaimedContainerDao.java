package dev.sandbar.store.host;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The containers each host's reconciliation found that belong to no sandbox: written by the
 * reconciliation, one whole list per host and pass; read by the API ({@code unclaimed}).
 */
@RegisterConstructorMapper(UnclaimedContainer.class)
public interface UnclaimedContainerDao {

  /**
   * Makes {@code found} the host's list of unclaimed containers: containers no longer reported are
   * forgotten, new ones are first seen now, and those seen before keep their first sighting (what a
   * safety age before removal counts from). Idempotent, so a retried activity may call it again.
   */
  @Transaction
  default void replace(String hostId, List<UnclaimedContainer.Found> found) {
    forgetOthers(
        hostId, found.stream().map(UnclaimedContainer.Found::containerId).toArray(String[]::new));
    for (UnclaimedContainer.Found container : found) {
      upsert(hostId, container);
    }
  }

  @SqlUpdate(
      """
      delete from unclaimed_containers
      where host_id = :hostId and container_id <> all(cast(:keep as text[]))
      """)
  void forgetOthers(@Bind("hostId") String hostId, @Bind("keep") String[] keep);

  @SqlUpdate(
      """
      insert into unclaimed_containers
          (host_id, container_id, name, sandbox_id, has_volume, first_seen_at, last_seen_at)
      values (:hostId, :c.containerId, :c.name, :c.sandboxId, :c.hasVolume, now(), now())
      on conflict (host_id, container_id) do update set
          name = excluded.name,
          sandbox_id = excluded.sandbox_id,
          has_volume = excluded.has_volume,
          last_seen_at = excluded.last_seen_at
      """)
  void upsert(@Bind("hostId") String hostId, @BindMethods("c") UnclaimedContainer.Found container);

  /** The unclaimed containers on {@code hostIds}, by host, oldest sighting first. */
  @SqlQuery(
      """
      select host_id, container_id, name, sandbox_id, has_volume, first_seen_at, last_seen_at
      from unclaimed_containers
      where host_id = any(:hostIds)
      order by host_id, first_seen_at, container_id
      """)
  List<UnclaimedContainer> onHosts(@Bind("hostIds") String[] hostIds);
}
