package dev.sandbar.store.audit;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The audit log: append-only, keyed by the event id the workflow generated. */
@RegisterConstructorMapper(AuditEvent.class)
public interface AuditDao {

  /**
   * Appends {@code event} unless an event with its id is already there, so a retried activity
   * writes it once. Returns the number of rows inserted (0 on a replay).
   */
  @SqlUpdate(
      """
      insert into audit_events
          (id, sandbox_id, tenant_id, seq, actor, action, from_state, to_state, reason, outcome,
           error, at)
      values
          (:id, :sandboxId, :tenantId, :seq, :actor, :action, :fromState, :toState, :reason,
           :outcome, :error, :at)
      on conflict (id) do nothing
      """)
  int insert(@BindMethods AuditEvent event);

  /** The sandbox's events in the order the workflow produced them. */
  @SqlQuery(
      """
      select id, sandbox_id, tenant_id, seq, actor, action, from_state, to_state, reason,
             outcome, error, at
      from audit_events
      where sandbox_id = :sandboxId
      order by seq, at, id
      """)
  List<AuditEvent> forSandbox(@Bind("sandboxId") String sandboxId);
}
