package dev.sandbar.workflows.sandbox;

import io.temporal.activity.ActivityCancellationType;
import io.temporal.activity.ActivityOptions;

/**
 * Activity options of the sandbox workflow's steps. A step is only ever cancelled by a force
 * destroy, which must not remove the container while an activity of the abandoned step still runs
 * on a worker: so a cancelled activity is waited for until Temporal reports it ended (at once when
 * it is waiting for a retry or a worker, within its start-to-close timeout when it runs). The
 * cancellation type is not part of the history, so this changes no replay.
 */
final class StepActivities {

  private StepActivities() {}

  static ActivityOptions of(ActivityOptions options) {
    return ActivityOptions.newBuilder(options)
        .setCancellationType(ActivityCancellationType.WAIT_CANCELLATION_COMPLETED)
        .build();
  }
}
