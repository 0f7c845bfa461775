package dev.sandbar.standalone.bench;

import dev.sandbar.standalone.bench.HistoryTimeline.Involved;
import dev.sandbar.workflows.WorkflowIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * Scenarios 1 to 4: create, create and first command, foreground exec, a burst of creates. Each
 * round does the raw step and the Sandbar step back to back, so drift of the machine hits both;
 * clean-up (removing containers, destroying sandboxes) is never timed.
 */
final class LatencyScenarios {

  private final BenchSystem system;
  private final SandbarCalls sandbar;
  private final RawDocker raw;

  LatencyScenarios(BenchSystem system) {
    this.system = system;
    this.sandbar = new SandbarCalls(system);
    this.raw = new RawDocker(system.docker());
  }

  /** Warms both paths (class loading, JIT, the first network of the tenant) before any timing. */
  void warmUp() {
    for (int i = 0; i < 3; i++) {
      String id = sandbar.createRunning();
      if (id != null) {
        sandbar.exec(id, "true");
        sandbar.destroy(id);
      }
      String container = raw.createAndStart();
      raw.exec(container, "true");
      raw.remove(container);
    }
    sandbar.drainFailures();
  }

  /** What a scenario does around each timed Sandbar create (the warm pool's scenarios wait). */
  interface CreateHooks {

    /** No hooks: the unpooled scenarios. */
    CreateHooks NONE = new CreateHooks() {};

    /** Runs before the timed create, untimed. */
    default void beforeCreate() {}

    /** Runs after the timed steps with the created sandbox, untimed. */
    default void created(String sandboxId) {}

    /** What the hooks observed, for the scenario's {@code extra}. */
    default Map<String, Object> extra() {
      return Map.of();
    }
  }

  /** (1) create → running ({@code wait: true}) against create + start. */
  ScenarioResult create(int n) {
    return create("create", n, CreateHooks.NONE);
  }

  /** (2) create → first command finished. */
  ScenarioResult createFirstExec(int n) {
    return createFirstExec("create_first_exec", n, CreateHooks.NONE);
  }

  /** Scenario (1) under {@code name}, with {@code hooks} around each Sandbar create. */
  ScenarioResult create(String name, int n, CreateHooks hooks) {
    Samples sandbarSamples = new Samples();
    Samples rawSamples = new Samples();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      String container = attempt(raw::createAndStart);
      rawSamples.add(System.nanoTime() - start, container != null);
      removeQuietly(container);

      hooks.beforeCreate();
      start = System.nanoTime();
      String id = attempt(sandbar::createRunning);
      sandbarSamples.add(System.nanoTime() - start, id != null);
      if (id != null) {
        hooks.created(id);
      }
      destroyQuietly(id);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("sandbar_failures", sandbar.drainFailures());
    extra.putAll(hooks.extra());
    return ScenarioResult.of(name, n, sandbarSamples, rawSamples, extra);
  }

  /**
   * (2) create → first command ({@code echo ok}) finished, against create + start + exec, under
   * {@code name}, with {@code hooks} around each Sandbar create.
   */
  ScenarioResult createFirstExec(String name, int n, CreateHooks hooks) {
    Samples sandbarSamples = new Samples();
    Samples rawSamples = new Samples();
    Breakdown breakdown = new Breakdown();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      String container = attempt(raw::createAndStart);
      boolean rawOk = container != null && attempt(() -> raw.exec(container, "echo", "ok")) == 0L;
      rawSamples.add(System.nanoTime() - start, rawOk);
      removeQuietly(container);

      hooks.beforeCreate();
      double startMs = Clock.nowMs();
      start = System.nanoTime();
      String id = attempt(sandbar::createRunning);
      JsonNode answer = id == null ? null : attempt(() -> sandbar.exec(id, "echo ok"));
      sandbarSamples.add(System.nanoTime() - start, answer != null);
      if (answer != null) {
        record(breakdown, id, answer, startMs, Clock.nowMs());
      }
      if (id != null) {
        hooks.created(id);
      }
      destroyQuietly(id);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("sandbar_failures", sandbar.drainFailures());
    extra.put("breakdown", breakdown.summary());
    extra.putAll(hooks.extra());
    return ScenarioResult.of(name, n, sandbarSamples, rawSamples, extra);
  }

  /** (3) foreground exec of {@code true} against exec create + start + inspect. */
  ScenarioResult exec(int n) {
    Samples sandbarSamples = new Samples();
    Samples rawSamples = new Samples();
    Breakdown breakdown = new Breakdown();
    String container = raw.createAndStart();
    String id = sandbar.createRunning();
    if (id == null) {
      throw new IllegalStateException("the exec scenario's sandbox did not start");
    }
    try {
      for (int i = 0; i < n; i++) {
        long start = System.nanoTime();
        Long exit = attempt(() -> raw.exec(container, "true"));
        rawSamples.add(System.nanoTime() - start, exit != null && exit == 0);

        double startMs = Clock.nowMs();
        start = System.nanoTime();
        JsonNode answer = attempt(() -> sandbar.exec(id, "true"));
        sandbarSamples.add(System.nanoTime() - start, answer != null);
        if (answer != null) {
          record(breakdown, id, answer, startMs, Clock.nowMs());
        }
      }
    } finally {
      removeQuietly(container);
      destroyQuietly(id);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("sandbar_failures", sandbar.drainFailures());
    extra.put("breakdown", breakdown.summary());
    return ScenarioResult.of("exec", n, sandbarSamples, rawSamples, extra);
  }

  /**
   * (4) {@code n} creates at once (Sandbar's with {@code wait: true}); each create's latency in the
   * percentiles, the time until the last one finished as {@code makespan_ms}.
   */
  ScenarioResult burst(int n) {
    Samples rawSamples = new Samples();
    List<String> containers = new ArrayList<>();
    double rawMakespan = burstOf(n, rawSamples, raw::createAndStart, containers);
    containers.forEach(this::removeQuietly);

    Samples sandbarSamples = new Samples();
    List<String> sandboxes = new ArrayList<>();
    double sandbarMakespan = burstOf(n, sandbarSamples, sandbar::createRunning, sandboxes);
    sandboxes.forEach(this::destroyQuietly);

    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("sandbar_makespan_ms", sandbarMakespan);
    extra.put("raw_makespan_ms", rawMakespan);
    extra.put("makespan_ratio", rawMakespan > 0 ? sandbarMakespan / rawMakespan : null);
    extra.put("sandbar_failures", sandbar.drainFailures());
    return ScenarioResult.of("burst", n, sandbarSamples, rawSamples, extra);
  }

  private static double burstOf(
      int n, Samples samples, Supplier<String> create, List<String> created) {
    long begin = System.nanoTime();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<String>> all = new ArrayList<>();
      for (int i = 0; i < n; i++) {
        all.add(
            threads.submit(
                () -> {
                  long start = System.nanoTime();
                  String id = attempt(create);
                  samples.add(System.nanoTime() - start, id != null);
                  return id;
                }));
      }
      for (Future<String> one : all) {
        String id = one.get(10, TimeUnit.MINUTES);
        if (id != null) {
          created.add(id);
        }
      }
    } catch (Exception e) {
      throw new IllegalStateException("burst did not finish", e);
    }
    return (System.nanoTime() - begin) / 1e6;
  }

  private void record(
      Breakdown breakdown, String sandboxId, JsonNode answer, double from, double to) {
    String taskId = answer.path("taskId").asString();
    List<Involved> workflows =
        List.of(
            new Involved("sandbox", WorkflowIds.sandbox(sandboxId)),
            new Involved("exec", WorkflowIds.exec(sandboxId, taskId)));
    try {
      breakdown.add(
          HistoryTimeline.spans(system.temporal(), workflows, from, to),
          HistoryTimeline.of(system.temporal(), workflows, from, to));
    } catch (RuntimeException unreadable) {
      breakdown.unreadable();
    }
  }

  /** The step's result, or null when it threw (a failed attempt, counted by the caller). */
  static <T> T attempt(Supplier<T> step) {
    try {
      return step.get();
    } catch (RuntimeException failed) {
      System.err.println("bench: attempt failed: " + failed);
      return null;
    }
  }

  private void removeQuietly(String container) {
    if (container != null) {
      attempt(
          () -> {
            raw.remove(container);
            return null;
          });
    }
  }

  private void destroyQuietly(String sandboxId) {
    if (sandboxId != null) {
      attempt(() -> sandbar.destroy(sandboxId));
    }
  }
}
