package dev.sandbar.api.temporal;

import com.google.protobuf.ByteString;
import com.google.protobuf.util.Timestamps;
import dev.sandbar.api.config.RandomIds;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.archive.ArchiveDeletionWorkflow;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.exec.TaskOutputWorkflow;
import dev.sandbar.workflows.exec.TaskStdinWorkflow;
import dev.sandbar.workflows.exec.TaskStreamWorkflow;
import dev.sandbar.workflows.metrics.SandboxMetricsWorkflow;
import dev.sandbar.workflows.model.MetricsInput;
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutputInput;
import dev.sandbar.workflows.model.ReadStreamsInput;
import dev.sandbar.workflows.model.SandboxMetrics;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.model.StreamsChunk;
import dev.sandbar.workflows.model.WriteStdinInput;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.api.filter.v1.StartTimeFilter;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionRequest;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.api.workflowservice.v1.GetSystemInfoRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsRequest;
import io.temporal.api.workflowservice.v1.ListOpenWorkflowExecutionsResponse;
import io.temporal.api.workflowservice.v1.WorkflowServiceGrpc;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * The API's one way into Temporal: the only holder of the {@link WorkflowClient}, handing out typed
 * workflow stubs (no signal or update goes by a string name) and starting the workflows the API
 * starts. What the calls throw is left to the caller, which translates it with {@link
 * WorkflowProblems}.
 */
@Component
public class TemporalGateway {

  private static final int LIST_PAGE_SIZE = 500;

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
    return shortLived(
            TaskOutputWorkflow.class,
            RandomIds.lowerAlphanumeric("output-" + taskId + "-", 12),
            timeout)
        .read(input);
  }

  /**
   * Reads on in a command's stdout and stderr through a short {@link TaskStreamWorkflow} that fails
   * once {@code timeout} has passed. Its id is random: a stream makes one per read.
   */
  public StreamsChunk readStreams(String taskId, ReadStreamsInput input, Duration timeout) {
    return shortLived(
            TaskStreamWorkflow.class,
            RandomIds.lowerAlphanumeric("stream-" + taskId + "-", 12),
            timeout)
        .read(input);
  }

  /**
   * Writes to or closes a command's stdin through a short {@link TaskStdinWorkflow} named by the
   * write's id, which fails once {@code timeout} has passed.
   */
  public void writeStdin(String taskId, WriteStdinInput input, Duration timeout) {
    shortLived(
            TaskStdinWorkflow.class, "stdin-" + taskId + "-" + input.request().writeId(), timeout)
        .write(input);
  }

  /**
   * Samples a sandbox's resource use through a short {@link SandboxMetricsWorkflow} that fails once
   * {@code timeout} has passed. Its id is random: concurrent samples must not collide.
   */
  public SandboxMetrics sampleMetrics(MetricsInput input, Duration timeout) {
    return shortLived(
            SandboxMetricsWorkflow.class,
            RandomIds.lowerAlphanumeric("metrics-" + input.container().sandboxId() + "-", 12),
            timeout)
        .sample(input);
  }

  /**
   * A stub of a one-activity workflow the API waits on, which fails once {@code timeout} passes.
   */
  private <T> T shortLived(Class<T> type, String workflowId, Duration timeout) {
    return client.newWorkflowStub(
        type,
        WorkflowOptions.newBuilder()
            .setWorkflowId(workflowId)
            .setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowExecutionTimeout(timeout)
            .build());
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

  /**
   * Every open workflow of the namespace started before {@code startedBefore}, through the
   * standard-visibility call {@code ListOpenWorkflowExecutions}, which both a real cluster and the
   * embedded test server answer (the latter has no {@code ListWorkflowExecutions}).
   */
  public List<OpenWorkflow> openWorkflowsStartedBefore(Instant startedBefore) {
    WorkflowServiceGrpc.WorkflowServiceBlockingStub service =
        client.getWorkflowServiceStubs().blockingStub();
    List<OpenWorkflow> open = new ArrayList<>();
    ByteString pageToken = ByteString.EMPTY;
    do {
      ListOpenWorkflowExecutionsResponse page =
          service.listOpenWorkflowExecutions(
              ListOpenWorkflowExecutionsRequest.newBuilder()
                  .setNamespace(namespace())
                  .setMaximumPageSize(LIST_PAGE_SIZE)
                  .setNextPageToken(pageToken)
                  .setStartTimeFilter(
                      StartTimeFilter.newBuilder()
                          .setEarliestTime(Timestamps.fromMillis(0))
                          .setLatestTime(Timestamps.fromMillis(startedBefore.toEpochMilli())))
                  .build());
      for (WorkflowExecutionInfo info : page.getExecutionsList()) {
        open.add(
            new OpenWorkflow(
                info.getExecution().getWorkflowId(),
                info.getExecution().getRunId(),
                info.getType().getName()));
      }
      pageToken = page.getNextPageToken();
    } while (!pageToken.isEmpty());
    return open;
  }

  /** One open workflow run, as listed. */
  public record OpenWorkflow(String workflowId, String runId, String workflowType) {}

  /**
   * The service's description of a workflow run (its pending activities among it); the latest run
   * when {@code runId} is null.
   */
  public DescribeWorkflowExecutionResponse describe(String workflowId, @Nullable String runId) {
    WorkflowExecution.Builder execution = WorkflowExecution.newBuilder().setWorkflowId(workflowId);
    if (runId != null) {
      execution.setRunId(runId);
    }
    return client
        .getWorkflowServiceStubs()
        .blockingStub()
        .describeWorkflowExecution(
            DescribeWorkflowExecutionRequest.newBuilder()
                .setNamespace(namespace())
                .setExecution(execution)
                .build());
  }

  /**
   * When the activity {@code activityId} of a run was first scheduled, read from the run's history:
   * the describe call only tells when its current attempt was.
   */
  public Optional<Instant> activityFirstScheduled(
      String workflowId, String runId, String activityId) {
    Instant scheduled = null;
    for (HistoryEvent event : client.fetchHistory(workflowId, runId).getEvents()) {
      if (event.hasActivityTaskScheduledEventAttributes()
          && activityId.equals(event.getActivityTaskScheduledEventAttributes().getActivityId())) {
        scheduled = Instant.ofEpochMilli(Timestamps.toMillis(event.getEventTime()));
      }
    }
    return Optional.ofNullable(scheduled);
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
