package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.TaskFileActivities;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.model.PrunableTasks;
import dev.sandbar.workflows.model.TaskFiles;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import org.slf4j.Logger;

/**
 * One run of the task retention cron. A task's directory in its container goes with its row: the
 * files first (each sandbox's on its own host, in parallel), then the rows of the tasks whose files
 * are gone. A sandbox that is stopped, paused or on an unreachable host keeps both until a later
 * run finds it running; a destroyed one took its files with its container.
 */
public class TaskPrunerWorkflowImpl implements TaskPrunerWorkflow {

  private static final Logger log = Workflow.getLogger(TaskPrunerWorkflowImpl.class);

  /** Tasks one run handles at most; the cron's next run takes the rest. */
  static final int MAX_TASKS_PER_RUN = 2000;

  /** Runs that delete rows only, as every run did before task files were removed with them. */
  static final String TASK_FILES_CHANGE = "prune-task-files";

  private final TaskStoreActivities store =
      Workflow.newActivityStub(TaskStoreActivities.class, ActivityOptionsCatalog.DATABASE);

  @Override
  public int prune(long retentionSeconds) {
    int version = Workflow.getVersion(TASK_FILES_CHANGE, Workflow.DEFAULT_VERSION, 1);
    if (version == Workflow.DEFAULT_VERSION) {
      return store.pruneTasks(retentionSeconds);
    }
    List<PrunableTasks> due = store.findPrunableTasks(retentionSeconds, MAX_TASKS_PER_RUN);
    List<String> removable = new ArrayList<>();
    List<PrunableTasks> onHosts = new ArrayList<>();
    List<Promise<Boolean>> removals = new ArrayList<>();
    for (PrunableTasks tasks : due) {
      if (tasks.containerGone() || tasks.hostId() == null) {
        removable.addAll(tasks.taskIds());
        continue;
      }
      TaskFileActivities files =
          Workflow.newActivityStub(
              TaskFileActivities.class, ActivityOptionsCatalog.containerCalls(tasks.hostId()));
      onHosts.add(tasks);
      removals.add(
          Async.function(
              files::removeTaskFiles, new TaskFiles(tasks.sandboxId(), tasks.taskIds())));
    }
    for (int i = 0; i < removals.size(); i++) {
      PrunableTasks tasks = onHosts.get(i);
      try {
        if (removals.get(i).get()) {
          removable.addAll(tasks.taskIds());
        }
      } catch (ActivityFailure failed) {
        log.warn(
            "task files of sandbox {} on host {} not removed, rows kept: {}",
            tasks.sandboxId(),
            tasks.hostId(),
            failed.getMessage());
      }
    }
    return removable.isEmpty() ? 0 : store.deleteTasks(removable);
  }
}
