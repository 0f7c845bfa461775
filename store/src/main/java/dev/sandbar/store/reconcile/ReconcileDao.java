package dev.sandbar.store.reconcile;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** What the reconciliation cron reads and writes: hosts, sandboxes per host, host events. */
@RegisterConstructorMapper(ReconcileDao.HostRow.class)
@RegisterConstructorMapper(ReconcileDao.SandboxRow.class)
@RegisterConstructorMapper(ReconcileDao.HostEvent.class)
public interface ReconcileDao {

  /** A host and its state ({@code online | draining | unreachable | offline}). */
  record HostRow(String id, String state) {}

  /** A sandbox as the comparison needs it. */
  record SandboxRow(String id, String tenantId, String hostId, String state, long seq) {}

  /** One row of {@code host_events}. */
  record HostEvent(
      String id,
      String hostId,
      String sandboxId,
      String actor,
      String action,
      String reason,
      Instant at) {}

  @SqlQuery("select id, state from hosts order by id")
  List<HostRow> hosts();

  /** Every sandbox placed on {@code hostId} that is not destroyed: one query per host and pass. */
  @SqlQuery(
      """
      select id, tenant_id, host_id, state, seq
      from sandboxes
      where host_id = :hostId and state <> 'destroyed'
      order by id
      """)
  List<SandboxRow> liveOn(@Bind("hostId") String hostId);

  /** The rows of {@code ids} that exist, destroyed ones included. */
  @SqlQuery(
      """
      select id, tenant_id, host_id, state, seq
      from sandboxes
      where id = any(:ids)
      order by id
      """)
  List<SandboxRow> byIds(@Bind("ids") String[] ids);

  /** Online (or offline) → unreachable; a drain is kept. Returns the number of rows changed. */
  @SqlUpdate(
      """
      update hosts set state = 'unreachable'
      where id = :hostId and state not in ('unreachable', 'draining')
      """)
  int markUnreachable(@Bind("hostId") String hostId);

  /** Unreachable → online. Returns the number of rows changed. */
  @SqlUpdate("update hosts set state = 'online' where id = :hostId and state = 'unreachable'")
  int markReachable(@Bind("hostId") String hostId);

  @SqlUpdate(
      """
      insert into host_events (id, host_id, sandbox_id, actor, action, reason, at)
      values (:id, :hostId, :sandboxId, :actor, :action, :reason, :at)
      on conflict (id) do nothing
      """)
  int insertEvent(@BindMethods HostEvent event);

  /** The host's events, oldest first. */
  @SqlQuery(
      """
      select id, host_id, sandbox_id, actor, action, reason, at
      from host_events
      where host_id = :hostId
      order by at, id
      """)
  List<HostEvent> eventsOf(@Bind("hostId") String hostId);
}
