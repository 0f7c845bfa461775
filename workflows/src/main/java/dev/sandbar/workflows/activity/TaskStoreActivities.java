package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.TaskRecord;
import io.temporal.activity.ActivityInterface;

/** PostgreSQL work for commands, on the control queue. */
@ActivityInterface
public interface TaskStoreActivities {

  /**
   * Upserts the task's row. Idempotent; a row that already ended is never moved back to running, so
   * a late retry of the first write cannot undo the last.
   */
  void recordTask(TaskRecord task);

  /** Inserts a notification; keyed by its id, so a retry writes it once. */
  void recordNotification(Notification notification);

  /** Deletes ended tasks older than {@code retentionSeconds}; returns how many. */
  int pruneTasks(long retentionSeconds);
}
