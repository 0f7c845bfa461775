package dev.sandbar.standalone.bench;

import static dev.sandbar.standalone.bench.LatencyScenarios.attempt;

import dev.sandbar.standalone.bench.HistoryTimeline.HistorySize;
import dev.sandbar.workflows.WorkflowIds;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import tools.jackson.databind.JsonNode;

/**
 * (5) One sandbox through create, pause, resume, stop, start, one exec and destroy, against the
 * same container steps in docker-java: each step's time, the whole round's time, and how many
 * history events (workflow tasks, activities) the workflows involved recorded.
 */
final class LifecycleScenario {

  private static final List<String> STEPS =
      List.of("create", "pause", "resume", "stop", "start", "exec", "destroy");

  private final BenchSystem system;
  private final SandbarCalls sandbar;
  private final RawDocker raw;

  LifecycleScenario(BenchSystem system) {
    this.system = system;
    this.sandbar = new SandbarCalls(system);
    this.raw = new RawDocker(system.docker());
  }

  ScenarioResult run(int n) {
    Map<String, Samples> sandbarSteps = samplesPerStep();
    Map<String, Samples> rawSteps = samplesPerStep();
    Samples sandbarTotal = new Samples();
    Samples rawTotal = new Samples();
    List<HistorySize> sizes = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      long start = System.nanoTime();
      boolean rawOk = rawRound(rawSteps);
      rawTotal.add(System.nanoTime() - start, rawOk);
      start = System.nanoTime();
      HistorySize size = sandbarRound(sandbarSteps);
      sandbarTotal.add(System.nanoTime() - start, size != null);
      if (size != null) {
        sizes.add(size);
      }
    }
    Map<String, Object> steps = new LinkedHashMap<>();
    for (String step : STEPS) {
      Map<String, Object> both = new LinkedHashMap<>();
      both.put("sandbar", sandbarSteps.get(step).stats().json());
      both.put("raw", rawSteps.get(step).stats().json());
      steps.put(step, both);
    }
    Map<String, Object> extra = new LinkedHashMap<>();
    HistorySize last = sizes.isEmpty() ? null : sizes.getLast();
    extra.put("history_events", last == null ? null : last.events());
    extra.put("workflow_tasks", last == null ? null : last.workflowTasks());
    extra.put("activities", last == null ? null : last.activities());
    extra.put("local_activity_markers", last == null ? null : last.markers());
    extra.put("steps", steps);
    extra.put("sandbar_failures", sandbar.drainFailures());
    return ScenarioResult.of("lifecycle", n, sandbarTotal, rawTotal, extra);
  }

  private static Map<String, Samples> samplesPerStep() {
    Map<String, Samples> samples = new LinkedHashMap<>();
    STEPS.forEach(step -> samples.put(step, new Samples()));
    return samples;
  }

  private boolean rawRound(Map<String, Samples> steps) {
    String id = timed(steps.get("create"), raw::createAndStart);
    if (id == null) {
      return false;
    }
    boolean ok =
        timedOk(steps.get("pause"), () -> run(() -> raw.pause(id)))
            && timedOk(steps.get("resume"), () -> run(() -> raw.unpause(id)))
            && timedOk(steps.get("stop"), () -> run(() -> raw.stop(id)))
            && timedOk(steps.get("start"), () -> run(() -> raw.start(id)))
            && timedOk(steps.get("exec"), () -> raw.exec(id, "true") == 0);
    return timedOk(steps.get("destroy"), () -> run(() -> raw.remove(id))) && ok;
  }

  /** The round's history size, or null when a step failed. */
  private HistorySize sandbarRound(Map<String, Samples> steps) {
    String id = timed(steps.get("create"), sandbar::createRunning);
    if (id == null) {
      return null;
    }
    JsonNode[] answer = new JsonNode[1];
    boolean ok =
        timedOk(steps.get("pause"), () -> sandbar.operate(id, "pause"))
            && timedOk(steps.get("resume"), () -> sandbar.operate(id, "resume"))
            && timedOk(steps.get("stop"), () -> sandbar.operate(id, "stop"))
            && timedOk(steps.get("start"), () -> sandbar.operate(id, "start"))
            && timedOk(steps.get("exec"), () -> (answer[0] = sandbar.exec(id, "true")) != null);
    ok = timedOk(steps.get("destroy"), () -> sandbar.destroy(id)) && ok;
    if (!ok) {
      return null;
    }
    return attempt(
        () ->
            HistoryTimeline.size(system.temporal(), WorkflowIds.sandbox(id))
                .plus(
                    HistoryTimeline.size(
                        system.temporal(),
                        WorkflowIds.exec(id, answer[0].path("taskId").asString()))));
  }

  private static <T> T timed(Samples samples, Supplier<T> step) {
    long start = System.nanoTime();
    T result = attempt(step);
    samples.add(System.nanoTime() - start, result != null);
    return result;
  }

  private static boolean timedOk(Samples samples, Supplier<Boolean> step) {
    return Boolean.TRUE.equals(timed(samples, () -> Boolean.TRUE.equals(step.get()) ? true : null));
  }

  private static boolean run(Runnable step) {
    step.run();
    return true;
  }
}
