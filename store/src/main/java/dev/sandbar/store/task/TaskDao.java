package dev.sandbar.store.task;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jspecify.annotations.Nullable;

/**
 * The {@code exec_tasks} read model: written only by each command's workflow ({@link #upsert},
 * {@link #deleteEndedBefore}), read by the API always scoped to one tenant's sandbox.
 */
@RegisterConstructorMapper(TaskRow.class)
public interface TaskDao {

  String COLUMNS =
      """
      id, sandbox_id, tenant_id, session_id, description, command, cwd, background, status,
      exit_code, stalled, output_file, output_tail, output_bytes, truncated, error, started_at,
      ended_at
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

  /**
   * Inserts the task, or updates it while it is still running. An ended row is left exactly as it
   * is, so a late retry of an earlier write (even the first, running one) cannot undo the end.
   * Stalled only ever turns on: the workflow reports a stall once and never clears it. {@code
   * launch} is written by the insert only: the first record of a command carries it. Returns the
   * number of rows written (0 when the row had already ended).
   */
  @SqlUpdate(
      """
      insert into exec_tasks
          (id, sandbox_id, tenant_id, session_id, description, command, cwd, background, status,
           exit_code, stalled, output_file, output_tail, output_bytes, truncated, error,
           started_at, ended_at, env, timeout_seconds, stall_seconds)
      values
          (:id, :sandboxId, :tenantId, :sessionId, :description, :command, :cwd, :background,
           :status, :exitCode, :stalled, :outputFile, :outputTail, :outputBytes, :truncated,
           :error, :startedAt, :endedAt, cast(:launch.env as jsonb), :launch.timeoutSeconds,
           :launch.stallSeconds)
      on conflict (id) do update set
          status = excluded.status,
          background = exec_tasks.background or excluded.background,
          exit_code = excluded.exit_code,
          stalled = exec_tasks.stalled or excluded.stalled,
          output_tail = excluded.output_tail,
          output_bytes = excluded.output_bytes,
          truncated = excluded.truncated,
          error = excluded.error,
          ended_at = excluded.ended_at
      where exec_tasks.ended_at is null
      """)
  int upsert(@BindMethods TaskRow task, @BindMethods("launch") TaskLaunch launch);

  /** The task whatever its tenant: for the workflow side, which knows the id is its own. */
  @SqlQuery("select " + COLUMNS + " from exec_tasks where id = :id")
  Optional<TaskRow> findById(@Bind("id") String id);

  /**
   * Up to {@code limit} tasks that ended more than {@code retentionSeconds} ago, oldest first,
   * grouped by sandbox, with where their files live.
   */
  @SqlQuery(
      """
      select t.sandbox_id, s.host_id, (s.id is null or s.state = 'destroyed') as container_gone,
             array_agg(t.id order by t.id) as task_ids
        from (select id, sandbox_id from exec_tasks
               where ended_at < now() - make_interval(secs => :retentionSeconds)
               order by ended_at, id
               limit :limit) t
        left join sandboxes s on s.id = t.sandbox_id
       group by t.sandbox_id, s.host_id, s.id, s.state
       order by t.sandbox_id
      """)
  @RegisterConstructorMapper(PrunableTaskGroup.class)
  List<PrunableTaskGroup> findPrunable(
      @Bind("retentionSeconds") long retentionSeconds, @Bind("limit") int limit);

  /** Deletes these tasks' rows, of those that have ended; returns how many. */
  @SqlUpdate("delete from exec_tasks where id = any(cast(:ids as text[])) and ended_at is not null")
  int deleteEnded(@Bind("ids") List<String> ids);

  /** Deletes tasks that ended more than {@code retentionSeconds} ago; returns how many. */
  @SqlUpdate(
      """
      delete from exec_tasks
      where ended_at < now() - make_interval(secs => :retentionSeconds)
      """)
  int deleteEndedBefore(@Bind("retentionSeconds") long retentionSeconds);
}
