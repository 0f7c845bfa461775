package dev.sandbar.standalone.bench;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The per-step figures of many requests of one scenario: for each named step (see {@link
 * HistoryTimeline}), its median and p95 over the requests it occurred in, in the order steps first
 * happened. A breakdown that cannot be read (a history gone) is counted, not guessed.
 */
final class Breakdown {

  private final Map<String, List<Double>> steps = new LinkedHashMap<>();
  private final Map<String, List<Double>> criticalPath = new LinkedHashMap<>();
  private int requests;
  private int unreadable;

  /** One request's {@link HistoryTimeline#spans} and {@link HistoryTimeline#of} gaps. */
  synchronized void add(Map<String, Double> spans, Map<String, Double> gaps) {
    requests++;
    spans.forEach((step, ms) -> steps.computeIfAbsent(step, s -> new ArrayList<>()).add(ms));
    gaps.forEach((gap, ms) -> criticalPath.computeIfAbsent(gap, s -> new ArrayList<>()).add(ms));
  }

  synchronized void unreadable() {
    unreadable++;
  }

  private static List<Map<String, Object>> rows(Map<String, List<Double>> steps) {
    List<Map<String, Object>> rows = new ArrayList<>();
    steps.forEach(
        (step, values) -> {
          double[] sorted = values.stream().mapToDouble(Double::doubleValue).sorted().toArray();
          Map<String, Object> row = new LinkedHashMap<>();
          row.put("step", step);
          row.put("median_ms", Samples.percentile(sorted, 0.5));
          row.put("p95_ms", Samples.percentile(sorted, 0.95));
          row.put("occurrences", values.size());
          rows.add(row);
        });
    return rows;
  }

  synchronized Map<String, Object> summary() {
    Map<String, Object> summary = new LinkedHashMap<>();
    summary.put("requests", requests);
    summary.put("unreadable", unreadable);
    summary.put("steps", rows(steps));
    // Every gap between two consecutive events of the request's workflows, named after them:
    // each millisecond of the request counted once (the spans above overlap).
    summary.put("timeline_gaps", rows(criticalPath));
    return summary;
  }
}
