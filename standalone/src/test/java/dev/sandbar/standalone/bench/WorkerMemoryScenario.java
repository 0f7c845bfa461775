package dev.sandbar.standalone.bench;

import static dev.sandbar.standalone.bench.LatencyScenarios.attempt;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * (7) The worker's resident memory with many background commands running at once. The worker
 * measured is a {@link WorkerProcess}: a host worker in a JVM of its own with the JVM's defaults,
 * as a fleet runs one per host, joined to the benchmark's Temporal service and database; the
 * scenario's sandboxes select it by its label, so every command waits on it. It runs workflows too
 * (it polls the shared control queue like every worker). The standalone JVM's RSS (API, the
 * benchmark's own worker, the embedded Temporal service and this harness) is reported beside it.
 * The percentiles are the background starts' latencies; Docker has no equivalent.
 */
final class WorkerMemoryScenario {

  /** Long enough to outlast the measurement; the sandboxes' destroy ends them. */
  private static final String COMMAND = "sleep 600";

  private static final String HOST_ID = "bench-memory";
  private static final String LABEL = "bench-role=memory";
  private static final Duration WORKER_START = Duration.ofMinutes(2);
  private static final String ON_THE_MEMORY_WORKER =
      "{\"wait\": true, \"hostSelector\": {\"bench-role\": \"memory\"}}";

  private final BenchSystem system;
  private final SandbarCalls sandbar;

  WorkerMemoryScenario(BenchSystem system) {
    this.system = system;
    this.sandbar = new SandbarCalls(system);
  }

  ScenarioResult run(int commands, int sandboxCount) {
    Samples starts = new Samples();
    Map<String, Object> extra = new LinkedHashMap<>();
    try (WorkerProcess worker =
        WorkerProcess.start(
            system.services(), HOST_ID, LABEL, system.dataDir().resolve("memory-worker"))) {
      awaitOnline(worker);
      List<String> sandboxes = new ArrayList<>();
      // Destroyed while the worker still runs: their containers are its host's to remove.
      try {
        for (int i = 0; i < sandboxCount; i++) {
          String id = sandbar.createRunning(ON_THE_MEMORY_WORKER);
          if (id != null) {
            sandboxes.add(id);
          }
        }
        if (sandboxes.isEmpty()) {
          throw new IllegalStateException(
              "no sandbox of the memory scenario started: "
                  + sandbar.drainFailures()
                  + "\n"
                  + worker.logTail());
        }
        measure(worker, sandboxes, commands, starts, extra);
      } finally {
        sandboxes.forEach(id -> attempt(() -> sandbar.destroy(id)));
      }
    }
    return ScenarioResult.of("worker_memory", commands, starts, null, extra);
  }

  private void measure(
      WorkerProcess worker,
      List<String> sandboxes,
      int commands,
      Samples starts,
      Map<String, Object> extra) {
    extra.put("sandboxes", sandboxes.size());
    extra.put("rss_before_mb", worker.rssMb());
    for (int i = 0; i < commands; i++) {
      String sandbox = sandboxes.get(i % sandboxes.size());
      long start = System.nanoTime();
      String taskId = attempt(() -> sandbar.background(sandbox, COMMAND));
      starts.add(System.nanoTime() - start, taskId != null);
    }
    extra.put("running_commands", runningCommands(sandboxes));
    extra.put("rss_mb", worker.rssMb());
    System.gc();
    extra.put("standalone_rss_mb", rssMb(Path.of("/proc/self/status")));
    extra.put(
        "measured",
        "rss_mb: VmRSS of a worker process of its own (JVM defaults) whose host runs every"
            + " command; standalone_rss_mb: the standalone JVM (API, its worker, embedded"
            + " Temporal, the harness)");
    extra.put("sandbar_failures", sandbar.drainFailures());
  }

  /** Until the worker's host is registered, heartbeating and its queue polled. */
  private void awaitOnline(WorkerProcess worker) {
    long deadline = System.nanoTime() + WORKER_START.toNanos();
    while (System.nanoTime() < deadline && worker.isAlive()) {
      var host = system.admin("GET", "/v1/hosts/" + HOST_ID, null);
      if (host.status() == 200 && host.json().path("online").asBoolean()) {
        return;
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the memory worker started", e);
      }
    }
    throw new IllegalStateException("the memory worker did not come online: " + worker.logTail());
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

  /** VmRSS from a {@code /proc/<pid>/status} file. */
  static double rssMb(Path status) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith("VmRSS:")) {
          return Long.parseLong(line.replaceAll("[^0-9]", "")) / 1024.0;
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no VmRSS in " + status);
  }
}
