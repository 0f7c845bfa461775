package dev.sandbar.worker;

import dev.sandbar.workflows.activity.ReconcileMetricsActivities;
import dev.sandbar.workflows.model.ReconcilePassReport;
import dev.sandbar.workflows.model.ReconcileSummary;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.jspecify.annotations.Nullable;

/**
 * The reconciliation cron's figures, recorded on the worker that runs it (workflow code is
 * replayed, so it cannot touch a registry): {@code sandbar_reconcile_pass_duration_seconds} (a
 * histogram), {@code sandbar_reconcile_changes_total{change}} for what the passes did ({@code
 * report}: observations sent to sandbox workflows, {@code host_unreachable}: hosts marked
 * unreachable, {@code removed}: zombie and unclaimed containers removed), and {@code
 * sandbar_reconcile_unclaimed_containers}, the unclaimed containers the last pass left in place.
 * With several workers the cron's passes land on whichever runs it: sum over instances.
 */
public class ReconcileMetrics implements ReconcileMetricsActivities {

  private final @Nullable Timer passes;
  private final @Nullable Counter reports;
  private final @Nullable Counter unreachable;
  private final @Nullable Counter removed;
  private final AtomicLong unclaimed = new AtomicLong();

  /** {@code registry} null: passes are accepted and not recorded. */
  public ReconcileMetrics(@Nullable MeterRegistry registry) {
    if (registry == null) {
      passes = null;
      reports = unreachable = removed = null;
      return;
    }
    passes =
        Timer.builder("sandbar.reconcile.pass.duration")
            .description("How long one reconciliation pass over every host took")
            .publishPercentileHistogram()
            .register(registry);
    reports = changes(registry, "report");
    unreachable = changes(registry, "host_unreachable");
    removed = changes(registry, "removed");
    registry.gauge("sandbar.reconcile.unclaimed.containers", unclaimed);
  }

  @Override
  public void recordReconcilePass(ReconcilePassReport pass) {
    if (passes == null) {
      return;
    }
    ReconcileSummary summary = pass.summary();
    passes.record(Duration.ofMillis(pass.durationMs()));
    reports.increment(summary.reports());
    unreachable.increment(summary.hostsMarkedUnreachable());
    removed.increment(summary.removed());
    unclaimed.set(summary.unclaimed());
  }

  private static Counter changes(MeterRegistry registry, String change) {
    return Counter.builder("sandbar.reconcile.changes")
        .description("Changes reconciliation passes made, by kind")
        .tag("change", change)
        .register(registry);
  }
}
