package dev.sandbar.activities.database;

import dev.sandbar.store.StoredJson;
import dev.sandbar.store.notification.NotificationDao;
import dev.sandbar.store.notification.NotificationRow;
import dev.sandbar.store.task.TaskDao;
import dev.sandbar.store.task.TaskLaunch;
import dev.sandbar.store.task.TaskRow;
import dev.sandbar.workflows.TaskOwnerSignal;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.exec.ExecStarts;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.PrunableTasks;
import dev.sandbar.workflows.model.TaskEnd;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.model.TaskStatus;
import io.temporal.activity.Activity;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** {@link TaskStoreActivities} over PostgreSQL: the {@code exec_tasks} and notification tables. */
public class JdbiTaskStoreActivities implements TaskStoreActivities {

  private final Jdbi jdbi;

  public JdbiTaskStoreActivities(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /**
   * {@inheritDoc}
   *
   * <p>Once the row has ended no write changes it, not even another end: the first end recorded is
   * the one the workflow returned, and a retry of it carries the same values. The first record also
   * keeps the command's environment, limit and stall setting for start-up recovery.
   */
  @Override
  public void recordTask(TaskRecord task) {
    ExecRequest request = task.request();
    ExecResult result = task.result();
    boolean ended = task.status() != TaskStatus.RUNNING;
    TaskRow row =
        new TaskRow(
            request.taskId(),
            task.sandboxId(),
            task.tenantId(),
            sessionOrEmpty(request.sessionId()),
            request.description(),
            storable(request.command()),
            request.cwd(),
            request.background(),
            task.status().wire(),
            result == null ? null : result.exitCode(),
            task.stalled() || (result != null && result.stalled()),
            task.outputFile(),
            result == null ? null : storable(result.outputTail()),
            result == null ? 0 : result.outputBytes(),
            result != null && result.truncated(),
            result == null ? null : storable(result.error()),
            Instant.ofEpochMilli(task.startedAtMs()),
            ended ? endedAt(result) : null);
    TaskLaunch launch =
        new TaskLaunch(
            StoredJson.write(request.env() == null ? Map.of() : request.env()),
            request.timeoutSeconds(),
            request.stallSeconds());
    jdbi.useExtension(TaskDao.class, tasks -> tasks.upsert(row, launch));
  }

  @Override
  public void recordNotification(Notification notification) {
    NotificationRow row =
        new NotificationRow(
            0,
            notification.id(),
            notification.sandboxId(),
            notification.tenantId(),
            sessionOrEmpty(notification.sessionId()),
            notification.taskId(),
            notification.kind(),
            notification.status().wire(),
            notification.exitCode(),
            notification.message(),
            Instant.ofEpochMilli(notification.atMs()));
    jdbi.useExtension(NotificationDao.class, notifications -> notifications.insert(row));
  }

  /** {@inheritDoc} Through the worker's own client, which the activity's context carries. */
  @Override
  public void startTask(ExecInput input) {
    ExecStarts.start(Activity.getExecutionContext().getWorkflowClient(), input);
  }

  /**
   * {@inheritDoc}
   *
   * <p>The signal goes through the worker's own client, which the activity's context (local or not)
   * carries, and only after both writes: the sandbox never hears of an end that is not recorded.
   */
  @Override
  public void endTask(TaskEnd end) {
    recordTask(end.task());
    if (end.notification() != null) {
      recordNotification(end.notification());
    }
    TaskOwnerSignal.taskEnded(
        Activity.getExecutionContext().getWorkflowClient(),
        end.task().sandboxId(),
        end.task().request().taskId());
  }

  /**
   * {@inheritDoc}
   *
   * <p>Idempotent: a retry deletes only what the first attempt left. Running tasks are never
   * deleted, however old.
   */
  @Override
  public int pruneTasks(long retentionSeconds) {
    return jdbi.withExtension(TaskDao.class, tasks -> tasks.deleteEndedBefore(retentionSeconds));
  }

  @Override
  public List<PrunableTasks> findPrunableTasks(long retentionSeconds, int limit) {
    return jdbi
        .withExtension(TaskDao.class, tasks -> tasks.findPrunable(retentionSeconds, limit))
        .stream()
        .map(
            g ->
                new PrunableTasks(
                    g.sandboxId(), g.hostId(), g.containerGone(), List.copyOf(g.taskIds())))
        .toList();
  }

  @Override
  public int deleteTasks(List<String> taskIds) {
    return jdbi.withExtension(TaskDao.class, tasks -> tasks.deleteEnded(taskIds));
  }

  /** The API lists a session's tasks and notices by equality, so "no session" must be one value. */
  private static String sessionOrEmpty(String sessionId) {
    return sessionId == null ? "" : sessionId;
  }

  /**
   * When the workflow says the command ended; the time of this write if it sent no result, since
   * the schema requires every ended row to carry an end time.
   */
  private static Instant endedAt(ExecResult result) {
    return result != null && result.endedAtMs() > 0
        ? Instant.ofEpochMilli(result.endedAtMs())
        : Instant.now();
  }

  /**
   * PostgreSQL text cannot hold NUL; a command's output may. The tail is for people to read, so NUL
   * becomes U+FFFD there, as undecodable bytes already did; the exact bytes stay readable through
   * the output endpoint.
   */
  static String storable(String text) {
    return text == null ? null : text.replace('\u0000', '\uFFFD');
  }
}
