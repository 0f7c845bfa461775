package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.ReconcilePassReport;
import io.temporal.activity.ActivityInterface;

/**
 * Hands each reconciliation pass's figures to the worker's metrics (workflow code cannot touch a
 * meter registry: it is replayed). Called as a local activity on the worker running the cron.
 */
@ActivityInterface
public interface ReconcileMetricsActivities {

  /** Adds one pass to the counters and the duration histogram; a lost call only loses a sample. */
  void recordReconcilePass(ReconcilePassReport pass);
}
