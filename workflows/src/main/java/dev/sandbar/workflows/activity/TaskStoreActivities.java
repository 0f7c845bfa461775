package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.PrunableTasks;
import dev.sandbar.workflows.model.TaskEnd;
import dev.sandbar.workflows.model.TaskRecord;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/**
 * PostgreSQL work for commands, on the control queue, and the client calls that tie a command's
 * workflow to its sandbox's: its start and the signal of its end.
 */
@ActivityInterface
public interface TaskStoreActivities {

  /**
   * Upserts the task's row. Idempotent; a row that already ended is never moved back to running, so
   * a late retry of the first write cannot undo the last.
   */
  void recordTask(TaskRecord task);

  /** Inserts a notification; keyed by its id, so a retry writes it once. */
  void recordNotification(Notification notification);

  /**
   * Starts the command's workflow ({@link dev.sandbar.workflows.exec.ExecStarts}). Idempotent: a
   * workflow of that id, running or ended, counts as started and is never started again.
   */
  void startTask(ExecInput input);

  /**
   * Records a command's end as {@link #recordTask} and its notification, if any, as {@link
   * #recordNotification}, then signals the sandbox's workflow that the task ended ({@link
   * dev.sandbar.workflows.TaskOwnerSignal}). Idempotent like both writes, and the signal is a set
   * removal in the sandbox: a retry repeats nothing that matters.
   */
  void endTask(TaskEnd end);

  /**
   * Deletes ended tasks older than {@code retentionSeconds}; returns how many. Leaves their files
   * in the containers: only pruner runs started before {@link #findPrunableTasks} existed call it.
   */
  int pruneTasks(long retentionSeconds);

  /**
   * Up to {@code limit} ended tasks older than {@code retentionSeconds}, oldest first, grouped by
   * sandbox.
   */
  List<PrunableTasks> findPrunableTasks(long retentionSeconds, int limit);

  /** Deletes the rows of these tasks that have ended; returns how many. */
  int deleteTasks(List<String> taskIds);
}
