package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutputInput;
import io.temporal.workflow.Workflow;

/**
 * One activity on the host queue. A workflow rather than a direct activity call because activities
 * are only scheduled by workflows; the host stub's schedule-to-start timeout turns a dead host into
 * a failure instead of a read that waits forever.
 */
public class TaskOutputWorkflowImpl implements TaskOutputWorkflow {

  @Override
  public OutputChunk read(ReadOutputInput input) {
    CommandActivities commands =
        Workflow.newActivityStub(
            CommandActivities.class, ActivityOptionsCatalog.containerCalls(input.hostId()));
    return commands.readOutput(input.request());
  }
}
