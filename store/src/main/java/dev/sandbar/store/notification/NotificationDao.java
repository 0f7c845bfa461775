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
   * Returns up to {@code limit} of the session's oldest notices (in no particular order: sort by
   * seq) without deleting them, and marks each as answered by a drain whose cursor is the highest
   * seq returned (a row keeps the highest such cursor). The rows are locked in seq order, so
   * concurrent drains of one session neither deadlock nor lose a mark. One statement, so no
   * transaction outlives it: the answer is written to the client afterwards.
   */
  @SqlQuery(
      """
      with picked as (
        select seq from notifications
         where tenant_id = :tenantId and sandbox_id = :sandboxId and session_id = :sessionId
         order by seq
         limit :limit
         for update),
      answer as (select max(seq) as cursor from picked)
      update notifications n
         set delivered_cursor = greatest(coalesce(n.delivered_cursor, 0), answer.cursor)
        from picked, answer
       where n.seq = picked.seq
      returning n.seq, n.id, n.sandbox_id, n.tenant_id, n.session_id, n.task_id, n.kind, n.status,
                n.exit_code, n.message, n.created_at
      """)
  List<NotificationRow> deliver(String tenantId, String sandboxId, String sessionId, int limit);

  /**
   * Deletes the session's notices that a drain with a cursor up to {@code cursor} answered: the
   * client acknowledged them. A notice no such drain answered (it committed after the drain that
   * gave out the cursor, with a lower seq) is kept. Returns how many were deleted; a repeated
   * acknowledgement deletes nothing more.
   */
  @SqlUpdate(
      """
      delete from notifications
       where tenant_id = :tenantId and sandbox_id = :sandboxId and session_id = :sessionId
         and seq <= :cursor and delivered_cursor <= :cursor
      """)
  int acknowledge(String tenantId, String sandboxId, String sessionId, long cursor);
}
