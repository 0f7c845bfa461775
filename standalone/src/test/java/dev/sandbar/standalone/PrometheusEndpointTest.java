package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PrometheusEndpointTest extends EndToEndTest {

  private static final String SCRAPE = "/actuator/prometheus";

  @Test
  void theScrapeShowsSandboxesHostsOperationsReconciliationAndTemporalWorkerMetrics() {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    assertThat(api.operate(id, "stop").get("state").asString()).isEqualTo("stopped");

    // Gauges refresh every 15 s, reconciliation passes every 15 s, the SDK reports every 10 s.
    String scrape =
        api.scrapeUntilItHas(
            SandbarTestSupport.ADMIN_KEY,
            List.of(
                "sandbar_sandboxes{",
                "state=\"stopped\"",
                "host=\"e2e\"",
                "sandbar_hosts{",
                "sandbar_operation_duration_seconds_bucket{",
                "operation=\"create\"",
                "operation=\"stop\"",
                "sandbar_reconcile_pass_duration_seconds_count",
                "sandbar_reconcile_changes_total{",
                "temporal_workflow_task_execution_latency_seconds",
                "temporal_activity_execution_latency_seconds"),
            Duration.ofSeconds(90));

    assertThat(scrape).contains("sandbar_hosts{").contains("state=\"online\"");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void theScrapeNeedsTheAdminKey() {
    Response anonymous = api.call("GET", SCRAPE, null, null, Map.of());
    Response tenant = api.call("GET", SCRAPE, SandbarTestSupport.API_KEY, null, Map.of());

    assertThat(anonymous.status()).isEqualTo(401);
    assertThat(anonymous.contentType()).startsWith("application/problem+json");
    assertThat(tenant.status()).isEqualTo(401);
  }
}
