package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.SandboxMetrics;
import io.temporal.activity.ActivityInterface;

/** Samples a sandbox's resource use on its host (runs on that host's queue). */
@ActivityInterface
public interface MetricsActivities {

  /**
   * One-shot Docker stats of the container and the size of its data volume. Read-only, so a retry
   * is harmless; what Docker cannot say comes back as {@code supported: false} with the reason,
   * never as a failure (a daemon that does not answer at all fails the activity).
   */
  SandboxMetrics sampleMetrics(ContainerRef container);
}
