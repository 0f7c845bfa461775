package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.TaskStreamActivities;
import dev.sandbar.workflows.model.ReadStreamsInput;
import dev.sandbar.workflows.model.StreamsChunk;
import io.temporal.workflow.Workflow;

/** One activity on the host's command-wait queue, like {@link TaskOutputWorkflowImpl}. */
public class TaskStreamWorkflowImpl implements TaskStreamWorkflow {

  @Override
  public StreamsChunk read(ReadStreamsInput input) {
    return Workflow.newActivityStub(
            TaskStreamActivities.class, ActivityOptionsCatalog.streamCalls(input.hostId()))
        .readStreams(input.request());
  }
}
