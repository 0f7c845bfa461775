package dev.sandbar.standalone.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;

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
    Set<String> only = only();
    try (BenchSystem system = new BenchSystem(dataDir)) {
      RawDocker raw = new RawDocker(system.docker());
      raw.removeAll();
      try {
        LatencyScenarios latency = new LatencyScenarios(system);
        latency.warmUp();
        Runner runner = new Runner(only, results);
        runner.run("create", () -> latency.create(settings.create()));
        runner.run("create_first_exec", () -> latency.createFirstExec(settings.createFirstExec()));
        runner.run("exec", () -> latency.exec(settings.exec()));
        runner.run("burst", () -> latency.burst(settings.burst()));
        runner.run("lifecycle", () -> new LifecycleScenario(system).run(settings.lifecycle()));
        runner.run(
            "reconcile",
            () ->
                new ReconcileScenario(system)
                    .run(
                        settings.reconcilePasses(),
                        settings.reconcileRows(),
                        settings.reconcileHosts(),
                        settings.reconcileRunning()));
        runner.run(
            "worker_memory",
            () ->
                new WorkerMemoryScenario(system)
                    .run(settings.workerCommands(), settings.workerSandboxes()));
        if (only.isEmpty() || only.contains(POOLED.get(0)) || only.contains(POOLED.get(1))) {
          WarmPool pool = new WarmPool(system);
          pool.resize(settings.poolSize());
          runner.run(POOLED.get(0), () -> latency.create(POOLED.get(0), settings.create(), pool));
          runner.run(
              POOLED.get(1),
              () -> latency.createFirstExec(POOLED.get(1), settings.createFirstExec(), pool));
          pool.resize(0);
        }
      } finally {
        raw.removeAll();
      }
    }
    BenchReport.print(results, System.out);
    BenchReport.write(results, resultsFile);
    System.out.println("results written to " + resultsFile.toAbsolutePath());
    return results;
  }

  /**
   * The scenarios {@code -Dsandbar.bench.only=exec,create} names (comma separated); empty, the
   * default, runs them all. Lets one measure a change to one path without the whole run.
   */
  private static Set<String> only() {
    String names = System.getProperty("sandbar.bench.only", "").trim();
    if (names.isEmpty()) {
      return Set.of();
    }
    return Arrays.stream(names.split(","))
        .map(String::trim)
        .filter(name -> !name.isEmpty())
        .collect(Collectors.toUnmodifiableSet());
  }

  /** Runs the scenarios the selection includes, in the order they are named to it. */
  private record Runner(Set<String> only, List<ScenarioResult> results) {
    void run(String name, Supplier<ScenarioResult> scenario) {
      if (only.isEmpty() || only.contains(name)) {
        results.add(scenario.get());
      }
    }
  }
}
