package dev.sandbar.workflows.testing;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.sandbar.workflows.TaskOwnerSignal;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.exec.ExecStarts;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.TaskEnd;
import io.temporal.activity.Activity;

/** Set-ups shared by the tests that mock {@link TaskStoreActivities}. */
public final class TaskStoreMocks {

  private TaskStoreMocks() {}

  /**
   * Makes the mock's {@code endTask} behave as its contract says, in terms of the mock's own {@code
   * recordTask} and {@code recordNotification}, and signals the sandbox's workflow as the real one
   * does: tests stub and verify the writes whichever way the workflow asked for them, and a sandbox
   * workflow hears of its commands' ends.
   */
  public static void endThroughRecordsAndSignal(TaskStoreActivities store) {
    doAnswer(
            invocation -> {
              TaskEnd end = invocation.getArgument(0);
              store.recordTask(end.task());
              if (end.notification() != null) {
                store.recordNotification(end.notification());
              }
              TaskOwnerSignal.taskEnded(
                  Activity.getExecutionContext().getWorkflowClient(),
                  end.task().sandboxId(),
                  end.task().request().taskId());
              return null;
            })
        .when(store)
        .endTask(any());
  }

  /** Makes the mock's {@code startTask} start the command's workflow as the real one does. */
  public static void startThroughClient(TaskStoreActivities store) {
    doAnswer(
            invocation -> {
              ExecInput input = invocation.getArgument(0);
              ExecStarts.start(Activity.getExecutionContext().getWorkflowClient(), input);
              return null;
            })
        .when(store)
        .startTask(any());
  }
}
