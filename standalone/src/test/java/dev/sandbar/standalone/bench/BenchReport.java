package dev.sandbar.standalone.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/** Prints the results as a table and writes them as {@code results.json}. */
final class BenchReport {

  private static final JsonMapper JSON =
      JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

  private BenchReport() {}

  static void write(List<ScenarioResult> results, Path file) {
    List<Map<String, Object>> scenarios = results.stream().map(BenchReport::scenario).toList();
    try {
      Files.createDirectories(file.getParent());
      Files.writeString(file, JSON.writeValueAsString(Map.of("scenarios", scenarios)));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static Map<String, Object> scenario(ScenarioResult result) {
    Map<String, Object> scenario = new LinkedHashMap<>();
    scenario.put("name", result.name());
    scenario.put("n", result.n());
    scenario.put("sandbar", stats(result.sandbar()));
    scenario.put("raw", stats(result.raw()));
    scenario.put("ratio", result.ratio());
    scenario.put("extra", result.extra());
    return scenario;
  }

  private static Map<String, Object> stats(Samples.Stats stats) {
    return stats == null ? null : stats.json();
  }

  static void print(List<ScenarioResult> results, PrintStream out) {
    out.println();
    out.println(
        "Sandbar benchmark (ms; raw = docker-java on the same daemon, same run, interleaved)");
    out.printf(
        Locale.ROOT,
        "%-26s %5s %-7s %9s %9s %9s %9s %8s %8s%n",
        "scenario",
        "n",
        "side",
        "median",
        "p95",
        "p99",
        "max",
        "success",
        "ratio");
    for (ScenarioResult result : results) {
      line(out, result.name(), result.n(), "sandbar", result.sandbar(), result.ratio());
      if (result.raw() != null) {
        line(out, "", result.n(), "raw", result.raw(), null);
      }
      extras(out, result);
    }
    out.println();
  }

  private static void line(
      PrintStream out, String name, int n, String side, Samples.Stats stats, Double ratio) {
    if (stats == null) {
      out.printf(Locale.ROOT, "%-26s %5d %-7s %s%n", name, n, side, "(not measured)");
      return;
    }
    out.printf(
        Locale.ROOT,
        "%-26s %5d %-7s %9s %9s %9s %9s %7.0f%% %8s%n",
        name,
        n,
        side,
        ms(stats.medianMs()),
        ms(stats.p95Ms()),
        ms(stats.p99Ms()),
        ms(stats.maxMs()),
        stats.successRate() * 100,
        ratio == null ? "" : String.format(Locale.ROOT, "%.2fx", ratio));
  }

  @SuppressWarnings("unchecked")
  private static void extras(PrintStream out, ScenarioResult result) {
    result
        .extra()
        .forEach(
            (key, value) -> {
              if (key.equals("breakdown") && value instanceof Map<?, ?> breakdown) {
                out.printf(
                    Locale.ROOT,
                    "    where the time goes (median per request, %s requests):%n",
                    breakdown.get("requests"));
                for (Map<String, Object> row : (List<Map<String, Object>>) breakdown.get("steps")) {
                  out.printf(
                      Locale.ROOT,
                      "      %8.1f  %s%n",
                      (Double) row.get("median_ms"),
                      row.get("step"));
                }
              } else if (key.equals("steps") && value instanceof Map<?, ?> steps) {
                steps.forEach(
                    (step, both) -> {
                      Map<String, Map<String, Object>> sides =
                          (Map<String, Map<String, Object>>) both;
                      out.printf(
                          Locale.ROOT,
                          "    step %-8s sandbar median %9s  raw median %9s%n",
                          step,
                          ms((Double) sides.get("sandbar").get("median_ms")),
                          ms((Double) sides.get("raw").get("median_ms")));
                    });
              } else {
                out.printf(Locale.ROOT, "    %s: %s%n", key, value);
              }
            });
  }

  private static String ms(Double value) {
    return value == null ? "-" : String.format(Locale.ROOT, "%.1f", value);
  }
}
