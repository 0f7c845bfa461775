package dev.sandbar.api.operation;

import com.google.protobuf.Timestamp;
import com.google.protobuf.util.Timestamps;
import dev.sandbar.api.problem.Failures;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.api.temporal.TemporalGateway.OpenWorkflow;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.exec.ExecStarts;
import io.grpc.Status;
import io.temporal.api.common.v1.Payload;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.api.failure.v1.Failure;
import io.temporal.api.workflow.v1.PendingActivityInfo;
import io.temporal.api.workflow.v1.WorkflowExecutionInfo;
import io.temporal.api.workflowservice.v1.DescribeWorkflowExecutionResponse;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.common.converter.DefaultDataConverter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Finds the open Sandbar workflows, of whatever type, whose pending activity was scheduled before a
 * threshold. Temporal's visibility store does not index pending activities, so each open workflow
 * started before the threshold (a run started later cannot wait for anything older) is described;
 * the describes run a few at a time. A workflow is Sandbar's when its task queue is one of
 * Sandbar's ({@code sandbar-...}).
 */
@Component
class StuckWorkflows {

  private static final String SANDBAR_QUEUE_PREFIX = "sandbar-";
  private static final String SANDBOX_WORKFLOW_PREFIX = WorkflowIds.sandbox("");
  private static final int PARALLEL_DESCRIBES = 8;

  private final TemporalGateway temporal;

  StuckWorkflows(TemporalGateway temporal) {
    this.temporal = temporal;
  }

  /** The stuck workflows by workflow id, longest-stuck first. */
  Map<String, StuckWorkflow> pendingSince(Instant threshold) {
    List<OpenWorkflow> candidates = temporal.openWorkflowsStartedBefore(threshold);
    List<StuckWorkflow> stuck = new ArrayList<>();
    Semaphore permits = new Semaphore(PARALLEL_DESCRIBES);
    try (ExecutorService describes = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Optional<StuckWorkflow>>> described = new ArrayList<>();
      for (OpenWorkflow candidate : candidates) {
        described.add(
            describes.submit(
                () -> {
                  permits.acquire();
                  try {
                    return describe(candidate.workflowId(), candidate.runId());
                  } finally {
                    permits.release();
                  }
                }));
      }
      for (Future<Optional<StuckWorkflow>> result : described) {
        result
            .get()
            .filter(w -> w.pendingActivity() != null)
            .filter(w -> w.pendingActivity().since().isBefore(threshold))
            .ifPresent(stuck::add);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while describing workflows", e);
    } catch (ExecutionException e) {
      throw e.getCause() instanceof RuntimeException runtime
          ? runtime
          : new IllegalStateException(e.getCause());
    }
    stuck.sort(Comparator.comparing(w -> w.pendingActivity().since()));
    Map<String, StuckWorkflow> byId = new LinkedHashMap<>();
    stuck.forEach(w -> byId.put(w.workflowId(), w));
    return byId;
  }

  /**
   * The open run of {@code workflowId} with its longest-pending activity; empty when Temporal knows
   * no such workflow, it has ended, or it is not on a Sandbar task queue.
   */
  Optional<StuckWorkflow> describe(String workflowId, @Nullable String runId) {
    DescribeWorkflowExecutionResponse description;
    try {
      description = temporal.describe(workflowId, runId);
    } catch (RuntimeException e) {
      if (Failures.hasStatus(e, Status.Code.NOT_FOUND)) {
        return Optional.empty();
      }
      throw e;
    }
    WorkflowExecutionInfo info = description.getWorkflowExecutionInfo();
    boolean open = info.getStatus() == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    String queue = description.getExecutionConfig().getTaskQueue().getName();
    if (!open || !queue.startsWith(SANDBAR_QUEUE_PREFIX)) {
      return Optional.empty();
    }
    String run = info.getExecution().getRunId();
    PendingActivity pending =
        description.getPendingActivitiesList().stream()
            .map(activity -> pendingActivity(workflowId, run, activity))
            .min(Comparator.comparing(PendingActivity::since))
            .orElse(null);
    return Optional.of(
        new StuckWorkflow(
            workflowId,
            run,
            info.getType().getName(),
            sandboxId(
                workflowId, info.hasParentExecution() ? info.getParentExecution() : null, info),
            pending));
  }

  /**
   * The sandbox a workflow belongs to: {@code sandbox-<id>} itself, a command whose parent is one,
   * or a command that names it in its memo (commands are no longer started as children).
   */
  private static @Nullable String sandboxId(
      String workflowId, @Nullable WorkflowExecution parent, WorkflowExecutionInfo info) {
    if (workflowId.startsWith(SANDBOX_WORKFLOW_PREFIX)) {
      return workflowId.substring(SANDBOX_WORKFLOW_PREFIX.length());
    }
    if (parent != null && parent.getWorkflowId().startsWith(SANDBOX_WORKFLOW_PREFIX)) {
      return parent.getWorkflowId().substring(SANDBOX_WORKFLOW_PREFIX.length());
    }
    Payload memo = info.getMemo().getFieldsMap().get(ExecStarts.SANDBOX_MEMO);
    if (memo != null) {
      return DefaultDataConverter.STANDARD_INSTANCE.fromPayload(memo, String.class, String.class);
    }
    return null;
  }

  /**
   * The activity as described. Its scheduled time is that of its current attempt; a retried
   * activity's first schedule is read from the history.
   */
  private PendingActivity pendingActivity(
      String workflowId, String runId, PendingActivityInfo activity) {
    Instant scheduled = instant(activity.hasScheduledTime() ? activity.getScheduledTime() : null);
    Instant started = instant(activity.hasLastStartedTime() ? activity.getLastStartedTime() : null);
    Instant since = earliest(scheduled, started);
    if (activity.getAttempt() > 1 || since == null) {
      since = earliest(since, firstScheduled(workflowId, runId, activity.getActivityId()));
    }
    Failure failure = activity.hasLastFailure() ? activity.getLastFailure() : null;
    return new PendingActivity(
        activity.getActivityId(),
        activity.getActivityType().getName(),
        activity
            .getState()
            .name()
            .replaceFirst("^PENDING_ACTIVITY_STATE_", "")
            .toLowerCase(Locale.ROOT),
        activity.getAttempt(),
        activity.getMaximumAttempts(),
        since == null ? Instant.EPOCH : since,
        started,
        instant(activity.hasLastHeartbeatTime() ? activity.getLastHeartbeatTime() : null),
        failure == null ? null : failure.getMessage(),
        failure == null || !failure.hasApplicationFailureInfo()
            ? null
            : failure.getApplicationFailureInfo().getType(),
        activity.getLastWorkerIdentity().isEmpty() ? null : activity.getLastWorkerIdentity());
  }

  /** From the history; null if the run has vanished meanwhile. */
  private @Nullable Instant firstScheduled(String workflowId, String runId, String activityId) {
    try {
      return temporal.activityFirstScheduled(workflowId, runId, activityId).orElse(null);
    } catch (RuntimeException e) {
      if (Failures.hasStatus(e, Status.Code.NOT_FOUND)
          || Failures.cause(e, WorkflowNotFoundException.class).isPresent()) {
        return null;
      }
      throw e;
    }
  }

  private static @Nullable Instant instant(@Nullable Timestamp timestamp) {
    if (timestamp == null || (timestamp.getSeconds() == 0 && timestamp.getNanos() == 0)) {
      return null;
    }
    return Instant.ofEpochMilli(Timestamps.toMillis(timestamp));
  }

  private static @Nullable Instant earliest(@Nullable Instant a, @Nullable Instant b) {
    if (a == null) {
      return b;
    }
    return b == null || a.isBefore(b) ? a : b;
  }
}
