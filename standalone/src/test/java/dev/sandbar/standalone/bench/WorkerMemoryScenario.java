package dev.sandbar.standalone.bench;

import static dev.sandbar.standalone.bench.LatencyScenarios.attempt;

import com.github.dockerjava.api.command.TopContainerResponse;
import dev.sandbar.api.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/**
 * (7) The worker's resident memory with many background commands running at once. The worker
 * measured is a {@link WorkerProcess}: a host worker in a JVM of its own with the JVM's defaults,
 * as a fleet runs one per host, joined to the benchmark's Temporal service and database; the
 * scenario's sandboxes select it by its label, so every command waits on it. It runs workflows too
 * (it polls the shared control queue like every worker). The standalone JVM's RSS (API, the
 * benchmark's own worker, the embedded Temporal service and this harness) is reported beside it.
 * The percentiles are the background starts' latencies; Docker has no equivalent.
 *
 * <p>The worker's RSS is read only once every accepted command is running, by the read model and by
 * the processes in the containers, so the figure is that of {@code n} commands at once.
 */
final class WorkerMemoryScenario {

  /** Long enough to outlast the measurement; the sandboxes' destroy ends them. */
  private static final String COMMAND = "sleep 600";

  private static final String HOST_ID = "bench-memory";
  private static final String LABEL = "bench-role=memory";
  private static final Duration WORKER_START = Duration.ofMinutes(2);
  private static final Duration ALL_RUNNING = Duration.ofMinutes(5);
  private static final String RUNNING = "running";

  /** Tasks read per sandbox, the task list's largest page; no sandbox gets more commands. */
  private static final int TASKS_PAGE = 500;

  /** How long RSS is sampled (once a second) with every command running; the peak is reported. */
  private static final int RSS_SAMPLES = 10;

  /**
   * On the memory worker, with room for the commands' processes: a background command takes about
   * eight (the exec wrapper's shells, tees and copies, and the command), and each wait's poll an
   * exec more, so the default limit of 256 ends a sandbox's new commands after about 30 of them.
   */
  private static final String ON_THE_MEMORY_WORKER =
      "{\"wait\": true, \"hostSelector\": {\"bench-role\": \"memory\"},"
          + " \"resources\": {\"pids\": 4096}}";

  private final BenchSystem system;
  private final SandbarCalls sandbar;
  private final Map<String, Integer> createFailures = new TreeMap<>();

  WorkerMemoryScenario(BenchSystem system) {
    this.system = system;
    this.sandbar = new SandbarCalls(system);
  }

  ScenarioResult run(int commands, int sandboxCount) {
    Samples starts = new Samples();
    Map<String, Object> extra = new LinkedHashMap<>();
    int wanted = sandboxesFor(commands, sandboxCount);
    try (WorkerProcess worker =
        WorkerProcess.start(
            system.services(), HOST_ID, LABEL, system.dataDir().resolve("memory-worker"))) {
      awaitOnline(worker);
      List<String> sandboxes = new ArrayList<>();
      // Destroyed while the worker still runs: their containers are its host's to remove.
      try {
        createSandboxes(wanted, sandboxes);
        if (sandboxes.size() < wanted) {
          throw new IllegalStateException(
              sandboxes.size()
                  + " of "
                  + wanted
                  + " sandboxes of the memory scenario started: "
                  + createFailures
                  + "\n"
                  + worker.logTail());
        }
        measure(worker, sandboxes, commands, starts, extra);
      } finally {
        destroyAll(worker, sandboxes, extra);
      }
    }
    return ScenarioResult.of("worker_memory", commands, starts, null, extra);
  }

  /**
   * At least {@code requested}, and enough that {@code commands} fit the tenant's per-sandbox
   * command quota (and one page of a task list); fails if they cannot fit its per-tenant quota,
   * which no sandbox count changes.
   */
  private int sandboxesFor(int commands, int requested) {
    JsonNode limits = system.call("GET", "/v1/quotas", null).json().path("limits");
    int perSandbox = limits.path("commandsPerSandbox").asInt();
    int perTenant = limits.path("commandsPerTenant").asInt();
    if (perSandbox < 1 || commands > perTenant) {
      throw new IllegalStateException(
          commands
              + " commands do not fit the tenant's command quotas "
              + limits
              + " (SANDBAR_QUOTA_COMMANDS_PER_TENANT, SANDBAR_QUOTA_COMMANDS_PER_SANDBOX)");
    }
    return Math.max(requested, Math.ceilDiv(commands, Math.min(perSandbox, TASKS_PAGE)));
  }

  /**
   * Creates running sandboxes on the memory worker until there are {@code wanted}, with as many
   * attempts again; one that ends in another state is destroyed and its state counted.
   */
  private void createSandboxes(int wanted, List<String> sandboxes) {
    for (int attempt = 0; attempt < 2 * wanted && sandboxes.size() < wanted; attempt++) {
      Response created = system.call("POST", "/v1/sandboxes", ON_THE_MEMORY_WORKER);
      String id = created.json().path("id").asString(null);
      String state = created.json().path("state").asString("");
      if (created.status() == 201 && "running".equals(state)) {
        sandboxes.add(id);
        continue;
      }
      createFailures.merge(
          created.status() + ": " + (id != null ? "state " + state : created.body()),
          1,
          Integer::sum);
      if (id != null) {
        attempt(() -> sandbar.destroy(id));
      }
    }
  }

  private void measure(
      WorkerProcess worker,
      List<String> sandboxes,
      int commands,
      Samples starts,
      Map<String, Object> extra) {
    extra.put("sandboxes", sandboxes.size());
    extra.put("rss_before_mb", worker.rssMb());
    int accepted = 0;
    for (int i = 0; i < commands; i++) {
      String sandbox = sandboxes.get(i % sandboxes.size());
      long start = System.nanoTime();
      String taskId = attempt(() -> sandbar.background(sandbox, COMMAND));
      starts.add(System.nanoTime() - start, taskId != null);
      accepted += taskId != null ? 1 : 0;
    }
    extra.put("accepted_commands", accepted);
    long waitStart = System.nanoTime();
    Map<String, Integer> statuses = awaitRunning(sandboxes, accepted);
    extra.put("all_running_after_ms", (System.nanoTime() - waitStart) / 1_000_000);
    extra.put("running_commands", statuses.getOrDefault(RUNNING, 0));
    extra.put("command_statuses", statuses);
    extra.put("running_processes", runningProcesses(sandboxes));
    double peak = 0;
    for (int i = 0; i < RSS_SAMPLES; i++) {
      peak = Math.max(peak, worker.rssMb());
      pause(Duration.ofSeconds(1));
    }
    extra.put("rss_mb", peak);
    extra.put("rss_after_mb", worker.rssMb());
    // Counted again after the samples: the figure stands for these many commands at once.
    extra.put("running_commands_after", statuses(sandboxes).getOrDefault(RUNNING, 0));
    extra.put("worker_threads", worker.threads());
    extra.putAll(worker.heap());
    System.gc();
    extra.put("standalone_rss_mb", rssMb(Path.of("/proc/self/status")));
    extra.put(
        "measured",
        "rss_mb: peak VmRSS over "
            + RSS_SAMPLES
            + " s, once every accepted command is running, of a worker process of its own (JVM"
            + " defaults) whose host runs every command; standalone_rss_mb: the standalone JVM"
            + " (API, its worker, embedded Temporal, the harness)");
    Map<String, Integer> failures = new TreeMap<>(sandbar.drainFailures());
    createFailures.forEach((why, count) -> failures.merge("create " + why, count, Integer::sum));
    extra.put("sandbar_failures", failures);
  }

  /**
   * Until the read model shows {@code expected} commands running (an accepted command is recorded
   * running by its workflow's first task, which may lag the answer under load) and the containers
   * as many {@link #COMMAND} processes (the record comes before the process), or every command has
   * a status and some ended (those never run again); the last count of each status.
   */
  private Map<String, Integer> awaitRunning(List<String> sandboxes, int expected) {
    long deadline = System.nanoTime() + ALL_RUNNING.toNanos();
    while (true) {
      Map<String, Integer> statuses = statuses(sandboxes);
      int running = statuses.getOrDefault(RUNNING, 0);
      int recorded = statuses.values().stream().mapToInt(Integer::intValue).sum();
      boolean settled =
          running >= expected
              ? runningProcesses(sandboxes) >= expected
              : recorded >= expected && running < recorded;
      if (settled || System.nanoTime() >= deadline) {
        return statuses;
      }
      pause(Duration.ofSeconds(1));
    }
  }

  /**
   * Destroys the sandboxes, which kills all their commands at once, and records the worker's peak
   * RSS until every one is destroyed: the churn of the kills, beside the steady state.
   */
  private void destroyAll(WorkerProcess worker, List<String> sandboxes, Map<String, Object> extra) {
    if (sandboxes.isEmpty() || !worker.isAlive()) {
      return;
    }
    long start = System.nanoTime();
    double peak = worker.rssMb();
    sandboxes.forEach(id -> attempt(() -> sandbar.destroy(id)));
    while (!allDestroyed(sandboxes) && System.nanoTime() - start < ALL_RUNNING.toNanos()) {
      peak = Math.max(peak, worker.rssMb());
      pause(Duration.ofMillis(500));
    }
    extra.put("rss_destroy_peak_mb", Math.max(peak, worker.rssMb()));
    extra.put("destroy_ms", (System.nanoTime() - start) / 1_000_000);
  }

  private boolean allDestroyed(List<String> sandboxes) {
    for (String id : sandboxes) {
      var sandbox = system.call("GET", "/v1/sandboxes/" + id, null);
      if (sandbox.status() == 200 && !"destroyed".equals(sandbox.json().path("state").asString())) {
        return false;
      }
    }
    return true;
  }

  /** Until the worker's host is registered, heartbeating and its queue polled. */
  private void awaitOnline(WorkerProcess worker) {
    long deadline = System.nanoTime() + WORKER_START.toNanos();
    while (System.nanoTime() < deadline && worker.isAlive()) {
      var host = system.admin("GET", "/v1/hosts/" + HOST_ID, null);
      if (host.status() == 200 && host.json().path("online").asBoolean()) {
        return;
      }
      pause(Duration.ofMillis(200));
    }
    throw new IllegalStateException("the memory worker did not come online: " + worker.logTail());
  }

  /** The read model's commands of the sandboxes, counted by status. */
  private Map<String, Integer> statuses(List<String> sandboxes) {
    Map<String, Integer> statuses = new TreeMap<>();
    for (String id : sandboxes) {
      system
          .call("GET", "/v1/sandboxes/" + id + "/tasks?limit=" + TASKS_PAGE, null)
          .json()
          .path("items")
          .forEach(task -> statuses.merge(task.path("status").asString(), 1, Integer::sum));
    }
    return statuses;
  }

  /** The scenario's commands as the containers' process tables show them. */
  private int runningProcesses(List<String> sandboxes) {
    int processes = 0;
    for (String id : sandboxes) {
      TopContainerResponse top = system.docker().topContainerCmd("sandbar-" + id).exec();
      int column = Arrays.asList(top.getTitles()).indexOf("CMD");
      for (String[] process : top.getProcesses()) {
        if (process[column].equals(COMMAND)) {
          processes++;
        }
      }
    }
    return processes;
  }

  private static void pause(Duration duration) {
    try {
      Thread.sleep(duration);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted in the memory scenario", e);
    }
  }

  /** VmRSS from a {@code /proc/<pid>/status} file. */
  static double rssMb(Path status) {
    return statusField(status, "VmRSS:") / 1024.0;
  }

  /** A number of a {@code /proc/<pid>/status} file: {@code VmRSS:} (kB), {@code Threads:}. */
  static long statusField(Path status, String field) {
    try {
      for (String line : Files.readAllLines(status)) {
        if (line.startsWith(field)) {
          return Long.parseLong(line.replaceAll("[^0-9]", ""));
        }
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    throw new IllegalStateException("no " + field + " in " + status);
  }
}
