package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SandboxMetricsTest extends EndToEndTest {

  @Test
  void aRunningSandboxReportsItsCpuMemoryPidsAndDataVolumeSize() throws Exception {
    String id =
        api.createRunning(
                """
                {"wait": true, "resources": {"cpus": 1, "memoryMb": 128, "pids": 64}}
                """)
            .get("id")
            .asString();
    Shell.run(
        docker, "sandbar-" + id, "dd if=/dev/zero of=/data/blob bs=1024 count=2048 2>/dev/null");

    JsonNode metrics = metricsOf(id);

    assertThat(metrics.get("supported").asBoolean()).as(metrics.toString()).isTrue();
    assertThat(metrics.get("state").asString()).isEqualTo("running");
    assertThat(Instant.parse(metrics.get("sampledAt").asString())).isAfter(Instant.EPOCH);
    JsonNode memory = metrics.get("memory");
    assertThat(memory.get("supported").asBoolean()).as(memory.toString()).isTrue();
    assertThat(memory.get("usageBytes").asLong()).isPositive();
    assertThat(memory.get("limitBytes").asLong()).isEqualTo(128L * 1024 * 1024);
    JsonNode cpu = metrics.get("cpu");
    assertThat(cpu.get("supported").asBoolean()).as(cpu.toString()).isTrue();
    assertThat(cpu.get("cumulativeSeconds").asDouble()).isPositive();
    assertThat(cpu.get("percent").asDouble()).isGreaterThanOrEqualTo(0.0);
    JsonNode pids = metrics.get("pids");
    assertThat(pids.get("current").asLong()).isPositive(); // init and sleep at least
    assertThat(pids.get("limit").asLong()).isEqualTo(64);
    JsonNode disk = metrics.get("disk");
    assertThat(disk.get("supported").asBoolean()).as(disk.toString()).isTrue();
    assertThat(disk.get("usedBytes").asLong()).isGreaterThanOrEqualTo(2048L * 1024);

    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void aStoppedSandboxHasNoLiveFiguresButKeepsItsDiskSize() {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    assertThat(api.operate(id, "stop").get("state").asString()).isEqualTo("stopped");

    JsonNode metrics = metricsOf(id);

    assertThat(metrics.get("supported").asBoolean()).isFalse();
    assertThat(metrics.get("reason").asString()).contains("not running");
    assertThat(metrics.get("memory").get("supported").asBoolean()).isFalse();
    assertThat(metrics.get("cpu").get("reason").asString()).contains("not running");
    assertThat(metrics.get("disk").get("supported").asBoolean()).isTrue();

    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void anotherTenantsSandboxIsNotFound() {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    String tenant = "metrics-" + System.nanoTime();
    String otherKey = api.newTenantKey(tenant);

    Response response =
        api.call("GET", "/v1/sandboxes/" + id + "/metrics", otherKey, null, Map.of());

    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  private JsonNode metricsOf(String id) {
    Response response = api.call("GET", "/v1/sandboxes/" + id + "/metrics", null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }
}
