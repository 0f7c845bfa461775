package dev.sandbar.store.reconcile;

import java.time.Instant;
import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** What the reconciliation cron reads and writes: hosts, sandboxes per host, host events. */
@RegisterConstructorMapper(ReconcileDao.HostRow.class)
@RegisterConstructorMapper(ReconcileDao.SandboxRow.class)
public interface ReconcileDao {

  /** A host and its liveness ({@code online | unreachable | offline}; a drain is kept apart). */
  record HostRow(String id, String state) {}

  /** A sandbox as the comparison needs it. */
  record SandboxRow(
      String id, String tenantId, String hostId, String state, long seq, String health) {}

  @SqlQuery("select id, state from hosts order by id")
  List<HostRow> hosts();

  /** Every sandbox placed on {@code hostId} that is not destroyed: one query per host and pass. */
  @SqlQuery(
      """
      select id, tenant_id, host_id, state, seq, health
      from sandboxes
      where host_id = :hostId and state <> 'destroyed'
      order by id
      """)
  List<SandboxRow> liveOn(@Bind("hostId") String hostId);

  /** The rows of {@code ids} that exist, destroyed ones included. */
  @SqlQuery(
      """
      select id, tenant_id, host_id, state, seq, health
      from sandboxes
      where id = any(:ids)
      order by id
      """)
  List<SandboxRow> byIds(@Bind("ids") String[] ids);

  /** Online (or offline) → unreachable; a drain is kept. Returns the number of rows changed. */
  @SqlUpdate(
      """
      update hosts set state = 'unreachable'
      where id = :hostId and state <> 'unreachable'
      """)
  int markUnreachable(@Bind("hostId") String hostId);

  /** Unreachable → online. Returns the number of rows changed. */
  @SqlUpdate("update hosts set state = 'online' where id = :hostId and state = 'unreachable'")
  int markReachable(@Bind("hostId") String hostId);

  /** Appends to the host's audit trail (see {@code HostDao#events}). */
  @SqlUpdate(
      """
      insert into host_events (host_id, actor, action, reason, at)
      values (:hostId, 'system', :action, :reason, :at)
      """)
  void audit(
      @Bind("hostId") String hostId,
      @Bind("action") String action,
      @Bind("reason") String reason,
      @Bind("at") Instant at);
}
