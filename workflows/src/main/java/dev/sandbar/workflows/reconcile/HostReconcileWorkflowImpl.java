package dev.sandbar.workflows.reconcile;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.InventoryActivities;
import dev.sandbar.workflows.activity.ReconcileMetricsActivities;
import dev.sandbar.workflows.activity.ReconcileStoreActivities;
import dev.sandbar.workflows.model.HostListing;
import dev.sandbar.workflows.model.KnownSandbox;
import dev.sandbar.workflows.model.ReconcilePassReport;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.model.ReconcileSummary;
import dev.sandbar.workflows.model.ReconcileTarget;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * One run of the reconciliation cron. Hosts are reconciled in parallel, so a dead host (whose
 * listing waits out its timeouts) does not hold up the others; the decisions per host are {@link
 * HostPass}'s.
 */
public class HostReconcileWorkflowImpl implements HostReconcileWorkflow {

  private static final Logger log = Workflow.getLogger(HostReconcileWorkflowImpl.class);

  /** A run ends before the cron's next minute begins. */
  static final Duration RUN_LENGTH = Duration.ofMinutes(1);

  private final ReconcileStoreActivities store =
      Workflow.newActivityStub(ReconcileStoreActivities.class, ActivityOptionsCatalog.DATABASE);
  private final ReconcileMetricsActivities metrics =
      Workflow.newLocalActivityStub(
          ReconcileMetricsActivities.class, ActivityOptionsCatalog.METRICS_RECORD);
  private final Set<String> startedHosts = new LinkedHashSet<>();

  /** Version marker: each pass ends with a local activity recording its metrics. */
  static final String PASS_METRICS_CHANGE = "reconcile-pass-metrics";

  @Override
  public ReconcileSummary reconcile(ReconcileSettings input) {
    ReconcileSettings settings = input == null ? ReconcileSettings.DEFAULTS : input;
    long runEndsAt = Workflow.currentTimeMillis() + RUN_LENGTH.toMillis();
    Duration period = Duration.ofSeconds(settings.passSeconds());
    ReconcileSummary summary = ReconcileSummary.NONE;
    while (true) {
      long passStartedAt = Workflow.currentTimeMillis();
      startedHosts.clear();
      ReconcileSummary pass = pass(settings);
      summary = summary.plus(pass);
      recordMetrics(pass, Workflow.currentTimeMillis() - passStartedAt);
      // Passes start every period (a slow pass shortens the wait), never into the next run.
      long nextPassAt = passStartedAt + period.toMillis();
      if (nextPassAt >= runEndsAt) {
        return summary;
      }
      long wait = nextPassAt - Workflow.currentTimeMillis();
      if (wait > 0) {
        // A host whose worker just started is reconciled at once, not at the next period.
        Workflow.await(Duration.ofMillis(wait), () -> !startedHosts.isEmpty());
      }
    }
  }

  @Override
  public void hostStarted(String hostId) {
    startedHosts.add(hostId);
  }

  /**
   * Hands the pass's figures to the worker's metrics. Histories from before the metrics existed
   * replay without the call.
   */
  private void recordMetrics(ReconcileSummary pass, long durationMs) {
    if (Workflow.getVersion(PASS_METRICS_CHANGE, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return;
    }
    try {
      metrics.recordReconcilePass(new ReconcilePassReport(pass, durationMs));
    } catch (ActivityFailure lost) {
      log.debug("reconciliation metrics not recorded: {}", lost.getCause());
    }
  }

  private ReconcileSummary pass(ReconcileSettings settings) {
    List<ReconcileTarget> targets = store.reconcileTargets();
    List<Promise<ReconcileSummary>> hosts = new ArrayList<>();
    for (ReconcileTarget target : targets) {
      hosts.add(Async.function(this::reconcileHost, target, settings));
    }
    ReconcileSummary summary = new ReconcileSummary(1, 0, 0, 0, 0);
    for (Promise<ReconcileSummary> host : hosts) {
      summary = summary.plus(host.get());
    }
    return summary;
  }

  private ReconcileSummary reconcileHost(ReconcileTarget target, ReconcileSettings settings) {
    HostPass pass = new HostPass(target, settings, store);
    // The read model first, then the listing: a sandbox workflow that moved on in between has
    // another sequence number than the one its report is based on, and ignores the report.
    List<KnownSandbox> known = store.sandboxesOn(target.hostId());
    InventoryActivities inventory =
        Workflow.newActivityStub(
            InventoryActivities.class, ActivityOptionsCatalog.hostListing(target.hostId()));
    HostListing listing;
    try {
      listing = inventory.listSandboxContainers();
    } catch (ActivityFailure failure) {
      if (failure.getCause() instanceof TimeoutFailure timeout) {
        return pass.unreachable(known, timeout);
      }
      // The worker answered but its Docker daemon failed: nothing is known about the containers,
      // so nothing is decided; the next pass asks again.
      log.warn("listing of host {} failed: {}", target.hostId(), failure.getCause());
      return ReconcileSummary.NONE;
    }
    return pass.reachable(known, listing);
  }
}
