package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.model.WriteStdinInput;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One write to (or close of) a command's stdin for the API (id {@code stdin-<taskId>-<writeId>}).
 */
@WorkflowInterface
public interface TaskStdinWorkflow {

  /**
   * Writes on the sandbox's host. The activity records the write id before it writes, so a retry
   * never repeats the input.
   */
  @WorkflowMethod
  void write(WriteStdinInput input);
}
