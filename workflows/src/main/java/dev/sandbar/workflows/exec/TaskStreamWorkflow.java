package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.model.ReadStreamsInput;
import dev.sandbar.workflows.model.StreamsChunk;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One read of a command's stdout and stderr for the API, which cannot reach Docker itself: a
 * streaming client is served by a series of these (id {@code stream-<taskId>-<random>}), each
 * reading on from where the last one ended.
 */
@WorkflowInterface
public interface TaskStreamWorkflow {

  /** Reads on the sandbox's host; read-only, so retries and repeats are harmless. */
  @WorkflowMethod
  StreamsChunk read(ReadStreamsInput input);
}
