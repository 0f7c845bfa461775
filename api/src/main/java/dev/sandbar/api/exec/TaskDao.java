package dev.sandbar.api.exec;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jspecify.annotations.Nullable;

/** Reads of the {@code exec_tasks} read model, always scoped to one tenant's sandbox. */
@RegisterConstructorMapper(TaskRow.class)
interface TaskDao {

  String COLUMNS =
      """
      id, sandbox_id, tenant_id, session_id, description, command, cwd, background, status,
      exit_code, stalled, output_file, output_tail, output_bytes, error, started_at, ended_at
      """;

  @SqlQuery(
      "select "
          + COLUMNS
          + """
            from exec_tasks
           where id = :taskId and sandbox_id = :sandboxId and tenant_id = :tenantId
          """)
  Optional<TaskRow> find(String tenantId, String sandboxId, String taskId);

  @SqlQuery(
      "select "
          + COLUMNS
          + """
            from exec_tasks
           where sandbox_id = :sandboxId
             and tenant_id = :tenantId
             and (cast(:sessionId as text) is null or session_id = cast(:sessionId as text))
             and (cast(:status as text) is null or status = cast(:status as text))
           order by started_at desc, id desc
           limit :limit
          """)
  List<TaskRow> list(
      String tenantId,
      String sandboxId,
      @Nullable String sessionId,
      @Nullable String status,
      int limit);
}
