package dev.sandbar.workflows;

import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowNotFoundException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a sandbox's workflow, from outside any workflow, that one of its commands ended ({@link
 * TaskOwner#taskEnded}). Sent by the activity that records the command's end, so the command's
 * workflow completes in the workflow task that recorded it instead of waiting one more for a
 * signal's acknowledgement. Safe to repeat: the owner forgets a task it no longer knows.
 */
public final class TaskOwnerSignal {

  private static final Logger log = LoggerFactory.getLogger(TaskOwnerSignal.class);

  private TaskOwnerSignal() {}

  /** Signals the sandbox's current run; a sandbox whose workflow has ended needs no signal. */
  public static void taskEnded(WorkflowClient client, String sandboxId, String taskId) {
    try {
      client.newWorkflowStub(TaskOwner.class, WorkflowIds.sandbox(sandboxId)).taskEnded(taskId);
    } catch (WorkflowNotFoundException gone) {
      log.info("sandbox {} is gone; end of task {} not signalled", sandboxId, taskId);
    }
  }
}
