package dev.sandbar.workflows.metrics;

import dev.sandbar.workflows.model.MetricsInput;
import dev.sandbar.workflows.model.SandboxMetrics;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Samples a sandbox's resource use for the API, which cannot reach Docker itself. Short-lived: the
 * API starts one per request (id {@code metrics-<sandboxId>-<random>}) and waits for its answer.
 */
@WorkflowInterface
public interface SandboxMetricsWorkflow {

  /**
   * Samples on the sandbox's host. A host that does not pick the activity up or answer it within
   * {@code ActivityOptionsCatalog.metricsSample}'s timeouts gives an unsupported sample naming why,
   * not a failure.
   */
  @WorkflowMethod
  SandboxMetrics sample(MetricsInput input);
}
