package dev.sandbar.standalone.bench;

import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.model.ReconcileSummary;
import dev.sandbar.workflows.reconcile.HostReconcileWorkflow;
import io.temporal.client.WorkflowOptions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * (6) Reconciliation passes over this host, with {@code running} real sandboxes on it, while the
 * read model holds {@code rows} sandbox rows on {@code hosts} hosts (the others {@link FakeHosts}).
 * Each pass is one run of the real {@link HostReconcileWorkflow} (its settings make a run one
 * pass), timed from start to result, with the SQL statements it caused counted.
 */
final class ReconcileScenario {

  /** Longer than a run: the run ends after its first pass. */
  private static final ReconcileSettings ONE_PASS =
      new ReconcileSettings(3_600, ReconcileSettings.DEFAULT_UNCLAIMED_SAFETY_SECONDS);

  private final BenchSystem system;
  private final SandbarCalls sandbar;

  ReconcileScenario(BenchSystem system) {
    this.system = system;
    this.sandbar = new SandbarCalls(system);
  }

  ScenarioResult run(int passes, int rows, int hosts, int running) {
    List<String> sandboxes = createAll(running);
    Samples samples = new Samples();
    List<Integer> queries = new ArrayList<>();
    List<Integer> allQueries = new ArrayList<>();
    ReconcileSummary last = null;
    try (FakeHosts fleet =
            new FakeHosts(
                system.jdbi(), system.temporal(), hosts - 1, Math.max(0, rows - running));
        StatementCounter counter = StatementCounter.install(system.jdbi())) {
      for (int i = 0; i < passes; i++) {
        HostReconcileWorkflow pass =
            system
                .temporal()
                .newWorkflowStub(
                    HostReconcileWorkflow.class,
                    WorkflowOptions.newBuilder()
                        .setWorkflowId("bench-reconcile-" + System.nanoTime())
                        .setTaskQueue(TaskQueues.CONTROL)
                        .build());
        counter.reset();
        long start = System.nanoTime();
        ReconcileSummary summary = LatencyScenarios.attempt(() -> pass.reconcile(ONE_PASS));
        samples.add(System.nanoTime() - start, summary != null);
        queries.add(counter.controlQueueStatements());
        allQueries.add(counter.allStatements());
        last = summary == null ? last : summary;
      }
    } finally {
      sandboxes.forEach(id -> LatencyScenarios.attempt(() -> sandbar.destroy(id)));
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("queries", queries.isEmpty() ? null : queries.getLast());
    extra.put("queries_per_pass", queries);
    extra.put("statements_all_threads_per_pass", allQueries);
    extra.put("rows", rows);
    extra.put("hosts", hosts);
    extra.put("running_on_this_host", sandboxes.size());
    extra.put("last_pass_summary", last);
    extra.put("sandbar_failures", sandbar.drainFailures());
    return ScenarioResult.of("reconcile", passes, samples, null, extra);
  }

  /** The real sandboxes, created a few at a time (not timed). */
  private List<String> createAll(int running) {
    List<String> created = new ArrayList<>();
    try (ExecutorService threads = Executors.newFixedThreadPool(4)) {
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < running; i++) {
        all.add(threads.submit(() -> LatencyScenarios.attempt(sandbar::createRunning)));
      }
      for (Future<String> one : all) {
        String id = one.get(10, TimeUnit.MINUTES);
        if (id != null) {
          created.add(id);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("the reconciliation scenario's sandboxes did not start", e);
    }
    return created;
  }
}
