package dev.sandbar.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sandbar.store.notification.NotificationDao;
import dev.sandbar.store.notification.NotificationRow;
import dev.sandbar.store.task.TaskDao;
import dev.sandbar.store.task.TaskRow;
import dev.sandbar.store.testing.PostgresExtension;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.PrunableTasks;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.model.TaskStatus;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbiTaskStoreActivitiesTest {

  private static final String TENANT = "tenant-1";
  private static final String SANDBOX = "sb-1";
  private static final long STARTED_MS = Instant.parse("2025-01-02T03:04:05Z").toEpochMilli();

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Jdbi jdbi = POSTGRES.jdbi();
  private static final JdbiTaskStoreActivities store = new JdbiTaskStoreActivities(jdbi);

  @BeforeEach
  void emptyTables() {
    POSTGRES.truncate("exec_tasks", "notifications");
  }

  // --- recordTask ---------------------------------------------------------------------------

  @Test
  void runningTaskIsRecordedThenCompleted() {
    ExecRequest request = request("task-1", "session-a");

    store.recordTask(running(request, false));

    assertThat(task("task-1"))
        .isEqualTo(
            new TaskRow(
                "task-1",
                SANDBOX,
                TENANT,
                "session-a",
                "build it",
                "make all",
                "/work",
                true,
                "running",
                null,
                false,
                "/tmp/sandbar/task-1.out",
                null,
                0,
                false,
                null,
                Instant.ofEpochMilli(STARTED_MS),
                null));

    store.recordTask(ended(request, completed("task-1", STARTED_MS + 5_000)));

    TaskRow done = task("task-1");
    assertThat(done.status()).isEqualTo("completed");
    assertThat(done.exitCode()).isZero();
    assertThat(done.outputTail()).isEqualTo("all done\n");
    assertThat(done.outputBytes()).isEqualTo(1234);
    assertThat(done.error()).isNull();
    assertThat(done.startedAt()).isEqualTo(Instant.ofEpochMilli(STARTED_MS));
    assertThat(done.endedAt()).isEqualTo(Instant.ofEpochMilli(STARTED_MS + 5_000));
  }

  @Test
  void lateRunningWriteAfterCompletionChangesNothing() {
    ExecRequest request = request("task-1", "session-a");
    store.recordTask(running(request, false));
    store.recordTask(ended(request, completed("task-1", STARTED_MS + 5_000)));
    TaskRow done = task("task-1");

    // A retry of the first write whose earlier attempt was slow lands after the end.
    store.recordTask(running(request, false));
    // Even a stall report cannot touch an ended row.
    store.recordTask(running(request, true));

    assertThat(task("task-1")).isEqualTo(done);
  }

  @Test
  void endWrittenBeforeAnyRunningWriteIsKept() {
    ExecRequest request = request("task-1", "session-a");

    store.recordTask(ended(request, completed("task-1", STARTED_MS + 5_000)));
    store.recordTask(running(request, false));

    assertThat(task("task-1").status()).isEqualTo("completed");
    assertThat(task("task-1").endedAt()).isEqualTo(Instant.ofEpochMilli(STARTED_MS + 5_000));
  }

  @Test
  void stalledFlagIsRecordedAndSurvivesTheEnd() {
    ExecRequest request = request("task-1", "session-a");
    store.recordTask(running(request, false));

    store.recordTask(running(request, true));
    assertThat(task("task-1").stalled()).isTrue();
    assertThat(task("task-1").status()).isEqualTo("running");

    // A late retry of the write before the stall does not clear it.
    store.recordTask(running(request, false));
    assertThat(task("task-1").stalled()).isTrue();

    ExecResult killed =
        new ExecResult(
            "task-1",
            TaskStatus.KILLED,
            null,
            "",
            "",
            false,
            null,
            0,
            STARTED_MS,
            STARTED_MS + 9_000,
            true,
            "killed on request");
    store.recordTask(ended(request, killed));

    TaskRow row = task("task-1");
    assertThat(row.status()).isEqualTo("killed");
    assertThat(row.stalled()).isTrue();
    assertThat(row.exitCode()).isNull();
    assertThat(row.error()).isEqualTo("killed on request");
  }

  @Test
  void taskWithoutASessionIsStoredWithAnEmptySession() {
    store.recordTask(running(request("task-1", null), false));

    assertThat(task("task-1").sessionId()).isEmpty();
  }

  @Test
  void schemaRejectsAnEndedStatusWithoutAnEndTime() {
    assertThatThrownBy(
            () ->
                jdbi.useHandle(
                    handle ->
                        handle.execute(
                            """
                            insert into exec_tasks
                                (id, sandbox_id, tenant_id, command, background, status,
                                 output_file, started_at)
                            values ('t', 's', 'x', 'true', false, 'completed', '/o', now())
                            """)))
        .hasMessageContaining("exec_tasks_ended_when_not_running");
  }

  // --- recordNotification -------------------------------------------------------------------

  @Test
  void notificationIsWrittenOnceWhateverTheRetries() {
    Notification done =
        new Notification(
            "note-1",
            SANDBOX,
            TENANT,
            "session-a",
            "task-1",
            "completed",
            TaskStatus.FAILED,
            2,
            "task task-1 failed with exit code 2",
            STARTED_MS);
    Notification other =
        new Notification(
            "note-2",
            SANDBOX,
            TENANT,
            null,
            "task-2",
            "stalled",
            TaskStatus.RUNNING,
            null,
            "no new output",
            STARTED_MS + 1);

    store.recordNotification(done);
    store.recordNotification(done);
    store.recordNotification(other);

    NotificationDao notifications = jdbi.onDemand(NotificationDao.class);
    assertThat(notifications.forSession(SANDBOX, "session-a"))
        .singleElement()
        .satisfies(
            row -> {
              assertThat(row.id()).isEqualTo("note-1");
              assertThat(row.taskId()).isEqualTo("task-1");
              assertThat(row.kind()).isEqualTo("completed");
              assertThat(row.status()).isEqualTo("failed");
              assertThat(row.exitCode()).isEqualTo(2);
              assertThat(row.message()).isEqualTo("task task-1 failed with exit code 2");
              assertThat(row.createdAt()).isEqualTo(Instant.ofEpochMilli(STARTED_MS));
            });
    assertThat(notifications.forSession(SANDBOX, ""))
        .extracting(NotificationRow::id)
        .containsExactly("note-2");
  }

  // --- pruneTasks ---------------------------------------------------------------------------

  @Test
  void pruneDeletesOnlyTasksThatEndedBeforeTheRetention() {
    long now = System.currentTimeMillis();
    long hourAgo = now - 3_600_000;
    record("old-done", completed("old-done", hourAgo));
    record("recent-done", completed("recent-done", now - 60_000));
    // Started long ago but still running: never pruned, however old.
    ExecRequest longRunning = request("old-running", "session-a");
    store.recordTask(
        new TaskRecord(
            SANDBOX,
            TENANT,
            longRunning,
            "/tmp/sandbar/old-running.out",
            TaskStatus.RUNNING,
            false,
            hourAgo - 3_600_000,
            null));

    assertThat(store.pruneTasks(600)).isEqualTo(1);

    TaskDao tasks = jdbi.onDemand(TaskDao.class);
    assertThat(tasks.findById("old-done")).isEmpty();
    assertThat(tasks.findById("recent-done")).isPresent();
    assertThat(tasks.findById("old-running")).isPresent();
    // A retry finds nothing more to delete.
    assertThat(store.pruneTasks(600)).isZero();
  }

  @Test
  void prunableTasksAreGroupedBySandboxAndOnlyEndedRowsAreDeleted() {
    long now = System.currentTimeMillis();
    record("old-a", completed("old-a", now - 3_600_000));
    record("old-b", completed("old-b", now - 7_200_000));
    record("recent", completed("recent", now - 60_000));

    // exec_tasks has no foreign key to sandboxes: a task of an unknown sandbox has no container.
    assertThat(store.findPrunableTasks(600, 100))
        .containsExactly(new PrunableTasks(SANDBOX, null, true, List.of("old-a", "old-b")));
    assertThat(store.findPrunableTasks(600, 1))
        .containsExactly(new PrunableTasks(SANDBOX, null, true, List.of("old-b")));

    assertThat(store.deleteTasks(List.of("old-a", "recent-missing"))).isEqualTo(1);
    assertThat(jdbi.onDemand(TaskDao.class).findById("old-a")).isEmpty();
    assertThat(jdbi.onDemand(TaskDao.class).findById("old-b")).isPresent();
  }

  // --- helpers ------------------------------------------------------------------------------

  @Test
  void theFirstRecordKeepsWhatTheCommandWasLaunchedWithForRecovery() {
    ExecRequest request = request("task-launch", "s");
    store.recordTask(running(request, false));
    ExecRequest endedWithoutEnv =
        new ExecRequest(
            "task-launch", "make all", "/work", Map.of(), 60, "s", "build it", true, 30);
    store.recordTask(ended(endedWithoutEnv, completed("task-launch", STARTED_MS + 5_000)));

    Map<String, Object> launch =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        select env::text as env, timeout_seconds, stall_seconds
                        from exec_tasks where id = 'task-launch'
                        """)
                    .mapToMap()
                    .one());
    assertThat(launch.get("env")).isEqualTo("{\"A\": \"1\"}");
    assertThat(launch.get("timeout_seconds")).isEqualTo(60L);
    assertThat(launch.get("stall_seconds")).isEqualTo(30L);
  }

  private static ExecRequest request(String taskId, String sessionId) {
    return new ExecRequest(
        taskId, "make all", "/work", Map.of("A", "1"), 60, sessionId, "build it", true, 30);
  }

  private static TaskRecord running(ExecRequest request, boolean stalled) {
    return task(request, TaskStatus.RUNNING, stalled, STARTED_MS, null);
  }

  private static TaskRecord ended(ExecRequest request, ExecResult result) {
    return task(request, result.status(), result.stalled(), result.startedAtMs(), result);
  }

  private static TaskRecord task(
      ExecRequest request, TaskStatus status, boolean stalled, long startedMs, ExecResult result) {
    return new TaskRecord(
        SANDBOX,
        TENANT,
        request,
        "/tmp/sandbar/" + request.taskId() + ".out",
        status,
        stalled,
        startedMs,
        result);
  }

  private static ExecResult completed(String taskId, long endedAtMs) {
    return new ExecResult(
        taskId,
        TaskStatus.COMPLETED,
        0,
        "all done\n",
        "",
        false,
        "all done\n",
        1234,
        STARTED_MS,
        endedAtMs,
        false,
        null);
  }

  private static void record(String taskId, ExecResult result) {
    store.recordTask(ended(request(taskId, "session-a"), result));
  }

  private static TaskRow task(String id) {
    return jdbi.onDemand(TaskDao.class).findById(id).orElseThrow();
  }
}
