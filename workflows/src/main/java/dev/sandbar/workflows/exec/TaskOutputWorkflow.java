package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutputInput;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Reads a slice of a command's log for the API, which cannot reach Docker itself. Short-lived: the
 * API starts one per read (id {@code output-<taskId>-<random>}) and waits for its answer.
 */
@WorkflowInterface
public interface TaskOutputWorkflow {

  /**
   * Reads the slice on the sandbox's host. Read-only, so a retried activity or a repeated read is
   * harmless; fails with the activity's failure ({@code CONTAINER_GONE} when the container no
   * longer exists).
   */
  @WorkflowMethod
  OutputChunk read(ReadOutputInput input);
}
