package dev.sandbar.standalone.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The whole benchmark: one standalone Sandbar on a fresh data directory, every scenario of issue 11
 * against it and against docker-java on the same daemon, the table printed and {@code results.json}
 * written. It measures; it never asserts a timing.
 */
final class Benchmark {

  /** The warm-pool scenarios: (1) and (2) with the host's pool on, same raw figures. */
  static final List<String> POOLED = List.of("create_pooled", "create_first_exec_pooled");

  private Benchmark() {}

  static List<ScenarioResult> run(BenchSettings settings, Path dataDir, Path resultsFile) {
    List<ScenarioResult> results = new ArrayList<>();
    try (BenchSystem system = new BenchSystem(dataDir)) {
      RawDocker raw = new RawDocker(system.docker());
      raw.removeAll();
      try {
        LatencyScenarios latency = new LatencyScenarios(system);
        latency.warmUp();
        results.add(latency.create(settings.create()));
        results.add(latency.createFirstExec(settings.createFirstExec()));
        results.add(latency.exec(settings.exec()));
        results.add(latency.burst(settings.burst()));
        results.add(new LifecycleScenario(system).run(settings.lifecycle()));
        results.add(
            new ReconcileScenario(system)
                .run(
                    settings.reconcilePasses(),
                    settings.reconcileRows(),
                    settings.reconcileHosts(),
                    settings.reconcileRunning()));
        results.add(
            new WorkerMemoryScenario(system)
                .run(settings.workerCommands(), settings.workerSandboxes()));
        WarmPool pool = new WarmPool(system);
        pool.resize(settings.poolSize());
        results.add(latency.create(POOLED.get(0), settings.create(), pool));
        results.add(latency.createFirstExec(POOLED.get(1), settings.createFirstExec(), pool));
        pool.resize(0);
      } finally {
        raw.removeAll();
      }
    }
    BenchReport.print(results, System.out);
    BenchReport.write(results, resultsFile);
    System.out.println("results written to " + resultsFile.toAbsolutePath());
    return results;
  }
}
