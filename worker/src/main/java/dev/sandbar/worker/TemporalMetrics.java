package dev.sandbar.worker;

import com.uber.m3.tally.NoopScope;
import com.uber.m3.tally.RootScopeBuilder;
import com.uber.m3.tally.Scope;
import io.micrometer.core.instrument.MeterRegistry;
import io.temporal.common.reporter.MicrometerClientStatsReporter;
import io.temporal.serviceclient.WorkflowServiceStubsOptions;
import org.jspecify.annotations.Nullable;

/**
 * The Temporal SDK's own metrics (workflow and activity task latencies, poll counts, sticky cache,
 * request failures: the {@code temporal_*} series) reported into the application's Micrometer
 * registry, so {@code /actuator/prometheus} shows them. The SDK reads the scope of the service
 * stubs, which the client and every worker factory on it share.
 */
public final class TemporalMetrics {

  /** How often the SDK's tally scope pushes its counters into Micrometer. */
  private static final com.uber.m3.util.Duration REPORT_EVERY =
      com.uber.m3.util.Duration.ofSeconds(10);

  private TemporalMetrics() {}

  /** {@code options} reporting into {@code registry}; unchanged without one. */
  public static WorkflowServiceStubsOptions.Builder reportInto(
      WorkflowServiceStubsOptions.Builder options, @Nullable MeterRegistry registry) {
    return options.setMetricsScope(scope(registry));
  }

  static Scope scope(@Nullable MeterRegistry registry) {
    if (registry == null) {
      return new NoopScope();
    }
    return new RootScopeBuilder()
        .reporter(new MicrometerClientStatsReporter(registry))
        .reportEvery(REPORT_EVERY);
  }
}
