package dev.sandbar.standalone.bench;

import static dev.sandbar.standalone.bench.LatencyScenarios.attempt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (7) The worker's resident memory with many background commands running at once. Standalone runs
 * the worker in the benchmark's own JVM (with the API and the embedded Temporal service; PostgreSQL
 * is a separate process), so the figure is this JVM's RSS: an upper bound of the worker's. The
 * percentiles are the background starts' latencies; Docker has no equivalent.
 */
final class WorkerMemoryScenario {

  /** Long enough to outlast the measurement; the sandboxes' destroy ends them. */
  private static final String COMMAND = "sleep 600";

  private final BenchSystem system;
  private final SandbarCalls sandbar;

  WorkerMemoryScenario(BenchSystem system) {
    this.system = system;
    this.sandbar = new SandbarCalls(system);
  }

  ScenarioResult run(int commands, int sandboxCount) {
    List<String> sandboxes = new ArrayList<>();
    Samples starts = new Samples();
    Map<String, Object> extra = new LinkedHashMap<>();
    try {
      for (int i = 0; i < sandboxCount; i++) {
        String id = sandbar.createRunning();
        if (id == null) {
          throw new IllegalStateException("a sandbox of the memory scenario did not start");
        }
        sandboxes.add(id);
      }
      System.gc();
      extra.put("rss_before_mb", rssMb());
      for (int i = 0; i < commands; i++) {
        String sandbox = sandboxes.get(i % sandboxes.size());
        long start = System.nanoTime();
        String taskId = attempt(() -> sandbar.background(sandbox, COMMAND));
        starts.add(System.nanoTime() - start, taskId != null);
      }
      extra.put("running_commands", runningCommands(sandboxes));
      System.gc();
      extra.put("rss_mb", rssMb());
      extra.put("heap_used_mb", heapUsedMb());
      extra.put("threads", Thread.activeCount());
      extra.put("measured", "RSS of the standalone JVM (API, worker, embedded Temporal service)");
      extra.put("sandbar_failures", sandbar.drainFailures());
    } finally {
      sandboxes.forEach(id -> attempt(() -> sandbar.destroy(id)));
    }
    return ScenarioResult.of("worker_memory", commands, starts, null, extra);
  }

  private int runningCommands(List<String> sandboxes) {
    int running = 0;
    for (String id : sandboxes) {
      running +=
          system
              .call("GET", "/v1/sandboxes/" + id + "/tasks?status=running&limit=100", null)
              .json()
              .path("items")
              .size();
    }
    return running;
  }

  /** VmRSS of this process, from {@code /proc/self/status}. */
  static double rssMb() {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in /proc/self/status");
  }

  private static double heapUsedMb() {
    Runtime runtime = Runtime.getRuntime();
    return (runtime.totalMemory() - runtime.freeMemory()) / (1024.0 * 1024.0);
  }
}
