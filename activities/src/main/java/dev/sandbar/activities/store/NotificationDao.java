package dev.sandbar.activities.store;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Notices for agents, keyed by the id the workflow generated. */
@RegisterConstructorMapper(TaskNotification.class)
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
  int insert(@BindMethods TaskNotification notification);

  /** The session's notices in the order they were written. */
  @SqlQuery(
      """
      select seq, id, sandbox_id, tenant_id, session_id, task_id, kind, status, exit_code,
             message, created_at
      from notifications
      where sandbox_id = :sandboxId and session_id = :sessionId
      order by seq
      """)
  List<TaskNotification> forSession(
      @Bind("sandboxId") String sandboxId, @Bind("sessionId") String sessionId);
}
