package dev.sandbar.workflows.metrics;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.MetricsActivities;
import dev.sandbar.workflows.model.MetricsInput;
import dev.sandbar.workflows.model.SandboxMetrics;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Workflow;

/**
 * One activity on the host queue. A short workflow rather than an update of the sandbox workflow:
 * an update would wait behind the sandbox's operations and grow its history with every dashboard
 * poll, while sampling changes nothing and needs no ordering with them.
 */
public class SandboxMetricsWorkflowImpl implements SandboxMetricsWorkflow {

  @Override
  public SandboxMetrics sample(MetricsInput input) {
    MetricsActivities metrics =
        Workflow.newActivityStub(
            MetricsActivities.class, ActivityOptionsCatalog.metricsSample(input.hostId()));
    try {
      return metrics.sampleMetrics(input.container());
    } catch (ActivityFailure failure) {
      String why =
          failure.getCause() instanceof TimeoutFailure
              ? "host " + input.hostId() + " did not answer in time"
              : "host " + input.hostId() + " could not sample: " + failure.getCause().getMessage();
      return SandboxMetrics.unsupported(why, Workflow.currentTimeMillis());
    }
  }
}
