package dev.sandbar.api.testworker;

import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.model.TaskStatus;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/**
 * A stand-in for the activities module's task store (which the API must not depend on): writes
 * {@code exec_tasks} and {@code notifications} the same way, so the API reads what a real worker
 * would have written.
 */
public final class DatabaseTaskStoreActivities implements TaskStoreActivities {

  private final Jdbi jdbi;

  public DatabaseTaskStoreActivities(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void recordTask(TaskRecord task) {
    ExecRequest request = task.request();
    ExecResult result = task.result();
    boolean ended = task.status() != TaskStatus.RUNNING;
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    insert into exec_tasks
                        (id, sandbox_id, tenant_id, session_id, description, command, cwd,
                         background, status, exit_code, stalled, output_file, output_tail,
                         output_bytes, error, started_at, ended_at)
                    values
                        (:id, :sandboxId, :tenantId, :sessionId, :description, :command, :cwd,
                         :background, :status, :exitCode, :stalled, :outputFile, :outputTail,
                         :outputBytes, :error, :startedAt, :endedAt)
                    on conflict (id) do update set
                        status = excluded.status,
                        exit_code = excluded.exit_code,
                        stalled = exec_tasks.stalled or excluded.stalled,
                        output_tail = excluded.output_tail,
                        output_bytes = excluded.output_bytes,
                        error = excluded.error,
                        ended_at = excluded.ended_at
                    where exec_tasks.ended_at is null
                    """)
                .bind("id", request.taskId())
                .bind("sandboxId", task.sandboxId())
                .bind("tenantId", task.tenantId())
                .bind("sessionId", request.sessionId() == null ? "" : request.sessionId())
                .bind("description", request.description())
                .bind("command", request.command())
                .bind("cwd", request.cwd())
                .bind("background", request.background())
                .bind("status", task.status().wire())
                .bind("exitCode", result == null ? null : result.exitCode())
                .bind("stalled", task.stalled() || (result != null && result.stalled()))
                .bind("outputFile", task.outputFile())
                .bind("outputTail", result == null ? null : result.outputTail())
                .bind("outputBytes", result == null ? 0 : result.outputBytes())
                .bind("error", result == null ? null : result.error())
                .bind("startedAt", Instant.ofEpochMilli(task.startedAtMs()))
                .bind(
                    "endedAt",
                    ended
                        ? Instant.ofEpochMilli(
                            result != null && result.endedAtMs() > 0
                                ? result.endedAtMs()
                                : System.currentTimeMillis())
                        : null)
                .execute());
  }

  @Override
  public void recordNotification(Notification n) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    insert into notifications
                        (id, sandbox_id, tenant_id, session_id, task_id, kind, status, exit_code,
                         message, created_at)
                    values
                        (:id, :sandboxId, :tenantId, :sessionId, :taskId, :kind, :status,
                         :exitCode, :message, :createdAt)
                    on conflict (id) do nothing
                    """)
                .bind("id", n.id())
                .bind("sandboxId", n.sandboxId())
                .bind("tenantId", n.tenantId())
                .bind("sessionId", n.sessionId() == null ? "" : n.sessionId())
                .bind("taskId", n.taskId())
                .bind("kind", n.kind())
                .bind("status", n.status().wire())
                .bind("exitCode", n.exitCode())
                .bind("message", n.message())
                .bind("createdAt", Instant.ofEpochMilli(n.atMs()))
                .execute());
  }

  @Override
  public int pruneTasks(long retentionSeconds) {
    return 0;
  }
}
