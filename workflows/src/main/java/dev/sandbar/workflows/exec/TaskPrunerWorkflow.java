package dev.sandbar.workflows.exec;

import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Deletes ended tasks older than the retention period. Runs as a Temporal cron workflow (id {@link
 * #WORKFLOW_ID}, schedule {@link #CRON}) started by every worker, so no thread of any process does
 * it.
 */
@WorkflowInterface
public interface TaskPrunerWorkflow {

  String WORKFLOW_ID = "sandbar-task-pruner";

  /** Every ten minutes: cron schedules have minute granularity, which is plenty here. */
  String CRON = "*/10 * * * *";

  /** Prunes once; returns how many tasks were deleted. */
  @WorkflowMethod
  int prune(long retentionSeconds);
}
