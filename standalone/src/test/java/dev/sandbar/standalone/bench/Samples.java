package dev.sandbar.standalone.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Durations of one side of a scenario, successful or not; summarised as {@link Stats}. */
final class Samples {

  private final List<Double> millis = new ArrayList<>();
  private int attempts;

  /** Records one attempt that took {@code nanos}; only successes count in the percentiles. */
  synchronized void add(long nanos, boolean success) {
    attempts++;
    if (success) {
      millis.add(nanos / 1_000_000.0);
    }
  }

  synchronized int attempts() {
    return attempts;
  }

  synchronized Stats stats() {
    double[] sorted = millis.stream().mapToDouble(Double::doubleValue).toArray();
    Arrays.sort(sorted);
    double successRate = attempts == 0 ? 0 : (double) sorted.length / attempts;
    if (sorted.length == 0) {
      return new Stats(null, null, null, null, successRate);
    }
    return new Stats(
        percentile(sorted, 0.50),
        percentile(sorted, 0.95),
        percentile(sorted, 0.99),
        sorted[sorted.length - 1],
        successRate);
  }

  /** Nearest-rank percentile (the value below which {@code p} of the samples lie). */
  static double percentile(double[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  /**
   * The summary written to {@code results.json}: milliseconds (null when nothing succeeded) and the
   * share of attempts that succeeded.
   */
  record Stats(Double medianMs, Double p95Ms, Double p99Ms, Double maxMs, double successRate) {

    /** The object {@code results.json} holds for one side of a scenario. */
    Map<String, Object> json() {
      Map<String, Object> json = new LinkedHashMap<>();
      json.put("median_ms", medianMs);
      json.put("p95_ms", p95Ms);
      json.put("p99_ms", p99Ms);
      json.put("max_ms", maxMs);
      json.put("success_rate", successRate);
      return json;
    }
  }
}
