package dev.sandbar.standalone.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.activities.testing.DockerDaemonExtension;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * The benchmark at tiny sizes: it runs every scenario and writes well-formed results. Timings are
 * never checked (they are the benchmark's to print).
 */
@ExtendWith(DockerDaemonExtension.class)
class BenchmarkHarnessTest {

  private static final List<String> SCENARIOS =
      List.of(
          "create",
          "create_first_exec",
          "exec",
          "burst",
          "lifecycle",
          "reconcile",
          "worker_memory",
          "create_pooled",
          "create_first_exec_pooled");

  @Test
  void runsEveryScenarioAndWritesWellFormedResults(@TempDir Path dir) throws Exception {
    Path results = dir.resolve("bench/results.json");
    Benchmark.run(
        new BenchSettings(2, 2, 3, 3, 1, 40, 3, 2, 1, 4, 1, 1), dir.resolve("data"), results);

    JsonNode json = JsonMapper.builder().build().readTree(Files.readString(results));
    List<JsonNode> scenarios = json.get("scenarios").valueStream().toList();
    assertThat(scenarios)
        .extracting(s -> s.get("name").asString())
        .containsExactlyElementsOf(SCENARIOS);
    for (JsonNode scenario : scenarios) {
      assertThat(scenario.has("n") && scenario.has("ratio") && scenario.has("raw")).isTrue();
      assertThat(scenario.get("extra").isObject()).as(scenario.toString()).isTrue();
      if (scenario.get("name").asString().endsWith("_pooled")) {
        assertThat(scenario.get("extra").get("pool_hits").asInt())
            .as("every pooled create claimed a pool container: " + scenario)
            .isEqualTo(scenario.get("n").asInt());
      }
      assertThat(scenario.get("sandbar").propertyNames())
          .containsExactly("median_ms", "p95_ms", "p99_ms", "max_ms", "success_rate");
      assertThat(scenario.get("sandbar").get("success_rate").asDouble())
          .as(scenario.toString())
          .isEqualTo(1.0);
    }
    for (JsonNode scenario : scenarios.subList(0, 4)) {
      assertThat(scenario.get("raw").get("success_rate").asDouble()).isEqualTo(1.0);
      assertThat(scenario.get("ratio").isNumber()).isTrue();
    }
    for (JsonNode traced : List.of(scenarios.get(1), scenarios.get(2), scenarios.get(8))) {
      JsonNode breakdown = traced.get("extra").get("breakdown");
      assertThat(breakdown.get("unreadable").asInt()).isZero();
      assertThat(breakdown.get("steps").valueStream().map(s -> s.get("step").asString()))
          .contains("api: request to first workflow event", "exec: activity RunCommand run");
      assertThat(breakdown.get("timeline_gaps").size()).isPositive();
    }
    assertThat(scenarios.get(4).get("extra").get("history_events").asInt()).isPositive();
    assertThat(scenarios.get(5).get("extra").get("queries").isInt()).isTrue();
    assertThat(scenarios.get(6).get("extra").get("rss_mb").asDouble()).isPositive();
    assertThat(scenarios.get(6).get("extra").get("running_commands").asInt()).isEqualTo(4);
    assertThat(scenarios.get(6).get("extra").get("running_processes").asInt()).isEqualTo(4);
  }
}
