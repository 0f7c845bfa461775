package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.worker.WorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A worker run on its own (split mode) serves its own {@code /actuator/prometheus} when given a
 * metrics port, and none otherwise.
 */
@ExtendWith(DockerDaemonExtension.class)
class WorkerMetricsEndpointTest {

  @Test
  void aWorkerGivenAMetricsPortServesItsTemporalAndReconciliationSeries() throws Exception {
    assertThat(WorkerApplication.defaults(null))
        .containsEntry("spring.main.web-application-type", "none");
    Path dataDir = Files.createTempDirectory("sandbar-worker-metrics-");
    Map<String, Object> settings = new HashMap<>(WorkerApplication.defaults("0"));
    try (EmbeddedServices services = EmbeddedServices.start(dataDir, "", "", 0)) {
      settings.putAll(
          Map.of(
              "spring.datasource.url",
              services.jdbcUrl(),
              "spring.datasource.username",
              services.databaseUser(),
              "spring.datasource.password",
              services.databasePassword(),
              "sandbar.temporal.address",
              services.temporalTarget(),
              "sandbar.worker.host-id",
              "metrics-" + dataDir.getFileName(),
              "sandbar.data-dir",
              dataDir.toString(),
              "server.address",
              "127.0.0.1",
              // Only this test's classpath holds the API module; a worker's jar has none.
              "spring.autoconfigure.exclude",
              "dev.sandbar.api.config.ApiAutoConfiguration"));
      try (ConfigurableApplicationContext worker =
          new SpringApplicationBuilder(WorkerApplication.class).properties(settings).run()) {
        int port = Integer.parseInt(worker.getEnvironment().getProperty("local.server.port"));

        // The SDK reports every 10 s; the reconciliation cron makes its first pass at start.
        String scrape =
            new SandbarTestSupport(port)
                .scrapeUntilItHas(
                    null,
                    List.of(
                        "temporal_request_latency_seconds",
                        "temporal_workflow_task_execution_latency_seconds",
                        "sandbar_reconcile_pass_duration_seconds_count",
                        "sandbar_reconcile_changes_total"),
                    Duration.ofSeconds(90));

        assertThat(scrape).doesNotContain("sandbar_sandboxes{");
      }
    }
  }
}
