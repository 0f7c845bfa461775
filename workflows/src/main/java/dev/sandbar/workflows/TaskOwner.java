package dev.sandbar.workflows;

import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;

/**
 * What a command's workflow tells the workflow that started it; the sandbox workflow extends it, so
 * the command workflow signals its owner without depending on the sandbox package.
 */
@WorkflowInterface
public interface TaskOwner {

  /** A command of this sandbox ended: it no longer holds the idle timer. */
  @SignalMethod
  void taskEnded(String taskId);
}
