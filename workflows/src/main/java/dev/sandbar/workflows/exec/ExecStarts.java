package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.model.ExecInput;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.Map;

/**
 * Starts a command's {@link ExecWorkflow} from outside any workflow, for the activity the sandbox
 * workflow's {@code exec} update runs: the update then answers in the workflow task that accepted
 * it, where starting a child cost one more workflow task to learn that the child had started (and
 * one more again when it ended).
 */
public final class ExecStarts {

  /**
   * Memo key naming the command's sandbox, which a child workflow told through its parent: the
   * stuck-operations listing reads it.
   */
  public static final String SANDBOX_MEMO = "sandboxId";

  private ExecStarts() {}

  /**
   * Starts the workflow, or finds it started: an id never runs twice (a workflow of that id that
   * has already ended is not started again), so a retried start is a no-op.
   */
  public static void start(WorkflowClient client, ExecInput input) {
    ExecWorkflow workflow =
        client.newWorkflowStub(
            ExecWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(WorkflowIds.exec(input.sandboxId(), input.request().taskId()))
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowIdReusePolicy(
                    WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
                .setMemo(Map.of(SANDBOX_MEMO, input.sandboxId()))
                .build());
    try {
      WorkflowClient.start(workflow::run, input);
    } catch (WorkflowExecutionAlreadyStarted startedBefore) {
      // An earlier attempt of this start got through: that run is the command's.
    }
  }
}
