package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecResult;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One workflow per command, id {@code exec-<sandboxId>-<taskId>}: starts the command detached,
 * waits for it in a heartbeating activity that re-attaches after any crash, enforces the limit with
 * a timer, and reports the outcome. Cancelling the workflow kills the command.
 */
@WorkflowInterface
public interface ExecWorkflow {

  static String workflowId(String sandboxId, String taskId) {
    return WorkflowIds.exec(sandboxId, taskId);
  }

  /**
   * Runs the command to its end and answers how it ended. A killed command's workflow closes as
   * cancelled (the SDK closes every workflow whose cancellation was requested that way); its {@code
   * killed} result is recorded in the task row first and {@link #progress} answers it.
   */
  @WorkflowMethod
  ExecResult run(ExecInput input);

  /**
   * Nobody waits for the answer any more (a foreground command flipped to background): completion
   * writes a notification.
   */
  @SignalMethod
  void detach();

  /** The task as it stands: running, or its result once ended. */
  @QueryMethod
  ExecResult progress();
}
