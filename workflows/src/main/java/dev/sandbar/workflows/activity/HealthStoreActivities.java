package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.SandboxHealth;
import io.temporal.activity.ActivityInterface;

/** The read model's side of container health. Runs on the shared control queue. */
@ActivityInterface
public interface HealthStoreActivities {

  /**
   * Writes the health of a running sandbox at {@code seq}; a no-op when the row has moved on to
   * another sequence number (every transition clears the health). Idempotent.
   */
  void recordHealth(SandboxHealth health);
}
