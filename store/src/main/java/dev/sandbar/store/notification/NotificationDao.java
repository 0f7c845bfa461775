package dev.sandbar.store.notification;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Notices for agents, keyed by the id the workflow generated: commands' workflows insert them, the
 * API drains them.
 */
@RegisterConstructorMapper(NotificationRow.class)
public interface NotificationDao {

  /**
   * Inserts {@code notification} unless one with its id is already there, so a retried activity
   * writes it once. The given {@code seq} is ignored: the database assigns it. Returns the number
   * of rows inserted (0 on a replay).
   */
  @SqlUpdate(
      """
      insert into notifications
          (id, sandbox_id, tenant_id, session_id, task_id, kind, status, exit_code, message,
           created_at)
      values
          (:id, :sandboxId, :tenantId, :sessionId, :taskId, :kind, :status, :exitCode, :message,
           :createdAt)
      on conflict (id) do nothing
      """)
  int insert(@BindMethods NotificationRow notification);

  /** The session's notices in the order they were written, without taking them. */
  @SqlQuery(
      """
      select seq, id, sandbox_id, tenant_id, session_id, task_id, kind, status, exit_code,
             message, created_at
      from notifications
      where sandbox_id = :sandboxId and session_id = :sessionId
      order by seq
      """)
  List<NotificationRow> forSession(
      @Bind("sandboxId") String sandboxId, @Bind("sessionId") String sessionId);

  /**
   * Deletes and returns up to {@code limit} of the session's oldest notices (in no particular
   * order: sort by seq). The rows are locked first, so a concurrent drain of the same session waits
   * for this transaction and then gets only what it left: a notice is never handed out twice, and
   * one whose drain rolls back is handed out again in its place. Used inside the drain's
   * transaction.
   */
  @SqlQuery(
      """
      with taken as (
        select seq from notifications
         where tenant_id = :tenantId and sandbox_id = :sandboxId and session_id = :sessionId
         order by seq
         limit :limit
         for update)
      delete from notifications n
       using taken
       where n.seq = taken.seq
      returning n.seq, n.id, n.sandbox_id, n.tenant_id, n.session_id, n.task_id, n.kind, n.status,
                n.exit_code, n.message, n.created_at
      """)
  List<NotificationRow> take(String tenantId, String sandboxId, String sessionId, int limit);
}
