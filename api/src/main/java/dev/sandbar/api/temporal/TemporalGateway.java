package dev.sandbar.api.temporal;

import dev.sandbar.api.config.RandomIds;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.archive.ArchiveDeletionWorkflow;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.exec.TaskOutputWorkflow;
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutputInput;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.springframework.stereotype.Component;

/**
 * The API's one way into Temporal: the only holder of the {@link WorkflowClient}, handing out typed
 * workflow stubs (no signal or update goes by a string name) and starting the workflows the API
 * starts. What the calls throw is left to the caller, which translates it with {@link
 * WorkflowProblems}.
 */
@Component
public class TemporalGateway {

  private final WorkflowClient client;

  TemporalGateway(WorkflowClient client) {
    this.client = client;
  }

  /**
   * Starts a sandbox's workflow. A sandbox id is never reused, not even after its workflow has
   * ended; a start refused as a duplicate means a concurrent retry of the same request started it,
   * so the sandbox exists, which is the goal.
   */
  public void startSandbox(SandboxWorkflowInput input) {
    WorkflowOptions options =
        WorkflowOptions.newBuilder()
            .setWorkflowId(SandboxWorkflow.workflowId(input.sandboxId()))
            .setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowIdReusePolicy(
                WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_REJECT_DUPLICATE)
            .build();
    SandboxWorkflow workflow = client.newWorkflowStub(SandboxWorkflow.class, options);
    try {
      WorkflowClient.start(workflow::run, input);
    } catch (WorkflowExecutionAlreadyStarted alreadyStarted) {
      // Started by a concurrent retry of the same request.
    }
  }

  /** The running workflow of the sandbox, for its updates and signals. */
  public SandboxWorkflow sandbox(String sandboxId) {
    return client.newWorkflowStub(SandboxWorkflow.class, SandboxWorkflow.workflowId(sandboxId));
  }

  /** The workflow of one command, by the workflow id its ticket or task names. */
  public CommandExecution command(String workflowId) {
    return new CommandExecution(client.newWorkflowStub(ExecWorkflow.class, workflowId));
  }

  /**
   * Reads a slice of a command's log through a short {@link TaskOutputWorkflow} that fails once
   * {@code timeout} has passed. Its id is random: concurrent reads of one task must not collide.
   */
  public OutputChunk readOutput(String taskId, ReadOutputInput input, Duration timeout) {
    TaskOutputWorkflow reader =
        client.newWorkflowStub(
            TaskOutputWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(RandomIds.lowerAlphanumeric("output-" + taskId + "-", 12))
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowExecutionTimeout(timeout)
                .build());
    return reader.read(input);
  }

  /**
   * Schedules the removal of a deleted archive's file. Already scheduled (a retried request) is
   * success; any other failure is thrown.
   */
  public void startArchiveDeletion(String archiveId, String hostId) {
    ArchiveDeletionWorkflow deletion =
        client.newWorkflowStub(
            ArchiveDeletionWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(ArchiveDeletionWorkflow.workflowId(archiveId))
                .setTaskQueue(TaskQueues.CONTROL)
                .build());
    try {
      WorkflowClient.start(
          deletion::delete, new ArchiveDeletionWorkflow.ArchiveDeletion(archiveId, hostId));
    } catch (WorkflowExecutionAlreadyStarted alreadyScheduled) {
      // A retried request: the file's removal is already scheduled.
    }
  }

  /** The namespace the API's workflows run in, for links into the Temporal UI. */
  public String namespace() {
    return client.getOptions().getNamespace();
  }

  /**
   * Asks the Temporal service for its system info; throws unless it answers within {@code timeout}.
   */
  public void ping(Duration timeout) {
    client
        .getWorkflowServiceStubs()
        .blockingStub()
        .withDeadlineAfter(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .getSystemInfo(GetSystemInfoRequest.getDefaultInstance());
  }
}
