package dev.sandbar.workflows.reconcile;

import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.model.ReconcileSummary;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Reconciles every host's Docker daemon with the read model. One workflow for the whole fleet, id
 * {@link #WORKFLOW_ID}, run as a Temporal cron workflow ({@link #CRON}, every minute: the embedded
 * test server has cron but no Schedules API). Each run makes a pass every {@link
 * ReconcileSettings#passSeconds} until its minute is over, so the effective period is shorter than
 * cron's one minute.
 *
 * <p>Per pass and host: one query of the read model, then one listing activity on the host's queue.
 * A listing that times out makes the host {@code unreachable} and tells its live sandboxes {@code
 * missing}; a listing that answers is sent, sandbox by sandbox, to the sandbox workflows, which
 * decide. Containers of destroyed sandboxes (zombies) are removed; containers no sandbox claims are
 * removed only without a data volume and after a safety age.
 */
@WorkflowInterface
public interface HostReconcileWorkflow {

  String WORKFLOW_ID = WorkflowIds.hostReconcile();

  /** Every minute; the passes inside a run make the effective period shorter. */
  String CRON = "* * * * *";

  /** One run: passes every {@code passSeconds} until the minute ends. */
  @WorkflowMethod
  ReconcileSummary reconcile(ReconcileSettings settings);

  /**
   * A host's worker (re)started: reconcile now rather than at the next period, so the host's {@code
   * missing} sandboxes return promptly.
   */
  @SignalMethod
  void hostStarted(String hostId);
}
