package dev.sandbar.activities.store;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** The {@code exec_tasks} read model, written only by each command's workflow. */
@RegisterConstructorMapper(ExecTask.class)
public interface TaskDao {

  /**
   * Inserts the task, or updates it while it is still running. An ended row is left exactly as it
   * is, so a late retry of an earlier write (even the first, running one) cannot undo the end.
   * Stalled only ever turns on: the workflow reports a stall once and never clears it. Returns the
   * number of rows written (0 when the row had already ended).
   */
  @SqlUpdate(
      """
      insert into exec_tasks
          (id, sandbox_id, tenant_id, session_id, description, command, cwd, background, status,
           exit_code, stalled, output_file, output_tail, output_bytes, error, started_at,
           ended_at)
      values
          (:id, :sandboxId, :tenantId, :sessionId, :description, :command, :cwd, :background,
           :status, :exitCode, :stalled, :outputFile, :outputTail, :outputBytes, :error,
           :startedAt, :endedAt)
      on conflict (id) do update set
          status = excluded.status,
          background = exec_tasks.background or excluded.background,
          exit_code = excluded.exit_code,
          stalled = exec_tasks.stalled or excluded.stalled,
          output_tail = excluded.output_tail,
          output_bytes = excluded.output_bytes,
          error = excluded.error,
          ended_at = excluded.ended_at
      where exec_tasks.ended_at is null
      """)
  int upsert(@BindMethods ExecTask task);

  @SqlQuery(
      """
      select id, sandbox_id, tenant_id, session_id, description, command, cwd, background, status,
             exit_code, stalled, output_file, output_tail, output_bytes, error, started_at,
             ended_at
      from exec_tasks
      where id = :id
      """)
  Optional<ExecTask> find(@Bind("id") String id);

  /** Deletes tasks that ended more than {@code retentionSeconds} ago; returns how many. */
  @SqlUpdate(
      """
      delete from exec_tasks
      where ended_at < now() - make_interval(secs => :retentionSeconds)
      """)
  int deleteEndedBefore(@Bind("retentionSeconds") long retentionSeconds);
}
