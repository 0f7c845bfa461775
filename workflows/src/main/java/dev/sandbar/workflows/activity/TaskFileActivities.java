package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.TaskFiles;
import io.temporal.activity.ActivityInterface;

/** The files ended commands leave in a sandbox's container, on the sandbox's host queue. */
@ActivityInterface
public interface TaskFileActivities {

  /**
   * Removes the tasks' directories. Idempotent. True when they are gone (removed now or before, or
   * the container is gone with them); false when the container exists but does not run (stopped or
   * paused), so nothing could be removed and the tasks' rows must stay until it runs again.
   */
  boolean removeTaskFiles(TaskFiles request);
}
