package dev.sandbar.api.exec;

import java.util.List;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;

/** Takes a session's notifications out of the table; used inside the drain's transaction. */
@RegisterConstructorMapper(NotificationRow.class)
interface NotificationDao {

  /**
   * Deletes and returns up to {@code limit} of the session's oldest notices (in no particular
   * order: sort by seq). The rows are locked first, so a concurrent drain of the same session waits
   * for this transaction and then gets only what it left: a notice is never handed out twice, and
   * one whose drain rolls back is handed out again in its place.
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
      returning n.seq, n.id, n.task_id, n.kind, n.status, n.exit_code, n.message, n.created_at
      """)
  List<NotificationRow> take(String tenantId, String sandboxId, String sessionId, int limit);
}
