package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.PermanentFailures;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.TaskEnd;
import dev.sandbar.workflows.model.TaskRecord;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;

/**
 * The task's database writes from {@link ExecWorkflowImpl}. Local first (since {@link
 * ExecWorkflowImpl#RUN_COMMAND_CHANGE}): a local activity is a marker in the workflow task that
 * asked for it, where an activity costs three events and a workflow task of its own. A write that
 * keeps failing for a reason a retry may cure goes on as an activity, so that it shows among the
 * stuck operations while it retries; a write the database refuses for good fails as it always did.
 */
final class TaskWrites {

  private final TaskStoreActivities store =
      Workflow.newActivityStub(TaskStoreActivities.class, ActivityOptionsCatalog.DATABASE);
  private final TaskStoreActivities local =
      Workflow.newLocalActivityStub(
          TaskStoreActivities.class, ActivityOptionsCatalog.DATABASE_LOCAL);
  private final boolean localFirst;

  TaskWrites(boolean localFirst) {
    this.localFirst = localFirst;
  }

  void recordTask(TaskRecord task) {
    write(writer -> writer.recordTask(task));
  }

  void recordNotification(Notification notification) {
    write(writer -> writer.recordNotification(notification));
  }

  void endTask(TaskEnd end) {
    write(writer -> writer.endTask(end));
  }

  private void write(Functions.Proc1<TaskStoreActivities> call) {
    if (localFirst) {
      try {
        call.apply(local);
        return;
      } catch (ActivityFailure failure) {
        if (PermanentFailures.is(failure)) {
          throw failure;
        }
      }
    }
    call.apply(store);
  }
}
