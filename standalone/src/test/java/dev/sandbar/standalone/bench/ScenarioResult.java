package dev.sandbar.standalone.bench;

import java.util.Map;

/**
 * One scenario's line in {@code results.json}: Sandbar's figures, the raw docker-java figures of
 * the same run (null where Docker has no equivalent), the ratio of the medians, and what else the
 * scenario measured.
 */
record ScenarioResult(
    String name, int n, Samples.Stats sandbar, Samples.Stats raw, Map<String, Object> extra) {

  static ScenarioResult of(
      String name, int n, Samples sandbar, Samples raw, Map<String, Object> extra) {
    return new ScenarioResult(
        name, n, sandbar == null ? null : sandbar.stats(), raw == null ? null : raw.stats(), extra);
  }

  /** Sandbar's median over raw Docker's, or null where either is missing. */
  Double ratio() {
    if (sandbar == null || raw == null || sandbar.medianMs() == null || raw.medianMs() == null) {
      return null;
    }
    return sandbar.medianMs() / raw.medianMs();
  }
}
