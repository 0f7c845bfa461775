package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import io.temporal.workflow.Workflow;

/** One run of the task retention cron. */
public class TaskPrunerWorkflowImpl implements TaskPrunerWorkflow {

  private final TaskStoreActivities store =
      Workflow.newActivityStub(TaskStoreActivities.class, ActivityOptionsCatalog.DATABASE);

  @Override
  public int prune(long retentionSeconds) {
    return store.pruneTasks(retentionSeconds);
  }
}
