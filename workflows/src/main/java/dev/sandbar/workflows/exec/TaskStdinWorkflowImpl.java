package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.TaskStreamActivities;
import dev.sandbar.workflows.model.WriteStdinInput;
import io.temporal.workflow.Workflow;

/** One activity on the host's command-wait queue, like {@link TaskStreamWorkflowImpl}. */
public class TaskStdinWorkflowImpl implements TaskStdinWorkflow {

  @Override
  public void write(WriteStdinInput input) {
    Workflow.newActivityStub(
            TaskStreamActivities.class, ActivityOptionsCatalog.streamCalls(input.hostId()))
        .writeStdin(input.request());
  }
}
