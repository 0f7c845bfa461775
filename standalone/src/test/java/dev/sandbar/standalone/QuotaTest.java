package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.WorkflowIds;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Quotas on the whole system against real Docker: a tenant flooding a sandbox with background
 * commands gets 429s beyond its quota while another tenant's lifecycle goes on, and the sandbox and
 * archive quotas hold with real containers and real exports.
 */
class QuotaTest extends EndToEndTest {

  /** The activities that wait on a command: started and awaited in one, or awaited alone. */
  private static final Set<String> COMMAND_WAITS = Set.of("RunCommand", "AwaitCommand");

  private static final int COMMAND_QUOTA = 12;
  private static final int FLOOD = 30;
  private static final String SLEEPER = "{\"command\": \"sleep 600\", \"background\": true}";

  @Autowired WorkflowClient temporal;

  /** The tenant of each API key this test made. */
  private final Map<String, String> tenantOfKey = new HashMap<>();

  @Test
  void aFloodOfBackgroundCommandsGets429sWhileAnotherTenantCreatesAndStopsSandboxes()
      throws Exception {
    String flooder = newTenant("flooder-" + System.nanoTime());
    String neighbour = newTenant("neighbour-" + System.nanoTime());
    setQuotas(flooder, "{\"commandsPerSandbox\": " + COMMAND_QUOTA + "}");
    String sandbox = create(flooder).get("id").asString();

    ExecutorService senders = Executors.newFixedThreadPool(8);
    List<CompletableFuture<Response>> flood = new ArrayList<>();
    try {
      for (int i = 0; i < FLOOD; i++) {
        flood.add(
            CompletableFuture.supplyAsync(
                () -> call("POST", "/v1/sandboxes/" + sandbox + "/exec", flooder, SLEEPER),
                senders));
      }
      // Meanwhile, and after, the other tenant's lifecycle on the same host works.
      for (int round = 0; round < 2; round++) {
        String other = create(neighbour).get("id").asString();
        assertOk(call("POST", "/v1/sandboxes/" + other + "/stop", neighbour, null), "stopped");
        assertOk(call("POST", "/v1/sandboxes/" + other + "/start", neighbour, null), "running");
        assertOk(call("DELETE", "/v1/sandboxes/" + other, neighbour, null), "destroyed");
      }
      CompletableFuture.allOf(flood.toArray(CompletableFuture[]::new)).join();
    } finally {
      senders.shutdown();
    }

    List<Response> answers = flood.stream().map(CompletableFuture::join).toList();
    List<Response> accepted = answers.stream().filter(r -> r.status() == 202).toList();
    List<Response> refused = answers.stream().filter(r -> r.status() == 429).toList();
    assertThat(accepted).hasSize(COMMAND_QUOTA);
    assertThat(refused).hasSize(FLOOD - COMMAND_QUOTA);
    assertThat(refused)
        .allSatisfy(
            r -> {
              assertThat(r.contentType()).startsWith("application/problem+json");
              assertThat(r.json().path("quota").asString()).isEqualTo("commandsPerSandbox");
              assertThat(r.json().path("limit").asLong()).isEqualTo(COMMAND_QUOTA);
              assertThat(r.json().path("current").asLong()).isEqualTo(COMMAND_QUOTA);
            });
    JsonNode usage = call("GET", "/v1/quotas", flooder, null).json().path("usage");
    assertThat(usage.path("commands").asLong()).isEqualTo(COMMAND_QUOTA);

    // The waits run on the host's command-wait queue, not on the queue of container calls.
    String taskId = accepted.getFirst().json().path("taskId").asString();
    assertThat(
            temporal.fetchHistory(WorkflowIds.exec(sandbox, taskId)).getEvents().stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
                .filter(scheduled -> COMMAND_WAITS.contains(scheduled.getActivityType().getName()))
                .map(scheduled -> scheduled.getTaskQueue().getName()))
        .isNotEmpty()
        .containsOnly(TaskQueues.commands("e2e"));

    assertOk(call("DELETE", "/v1/sandboxes/" + sandbox, flooder, null), "destroyed");
    assertThat(
            call("GET", "/v1/quotas", flooder, null).json().path("usage").path("commands").asLong())
        .isZero();
  }

  @Test
  void aTenantAtItsSandboxQuotaGets429WithItsCurrentUse() {
    String tenant = newTenant("capped-" + System.nanoTime());
    setQuotas(tenant, "{\"sandboxesPerTenant\": 1}");
    String first = create(tenant).get("id").asString();

    Response refused = call("POST", "/v1/sandboxes", tenant, "{\"wait\": true}");

    assertThat(refused.status()).as(refused.body()).isEqualTo(429);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    assertThat(refused.json().path("quota").asString()).isEqualTo("sandboxesPerTenant");
    assertThat(refused.json().path("limit").asLong()).isEqualTo(1);
    assertThat(refused.json().path("current").asLong()).isEqualTo(1);

    assertOk(call("DELETE", "/v1/sandboxes/" + first, tenant, null), "destroyed");
    String second = create(tenant).get("id").asString();
    assertOk(call("DELETE", "/v1/sandboxes/" + second, tenant, null), "destroyed");
  }

  @Test
  void archivesStopOnceTheTenantKeepsItsQuotaOfBytes() {
    String tenant = newTenant("archiver-" + System.nanoTime());
    setQuotas(tenant, "{\"archiveBytesPerTenant\": 1}");
    String sandbox = create(tenant).get("id").asString();

    Response first = call("POST", "/v1/sandboxes/" + sandbox + "/archives", tenant, null);
    assertThat(first.status()).as(first.body()).isEqualTo(201);
    long size = first.json().path("sizeBytes").asLong();
    assertThat(size).isPositive();

    Response second = call("POST", "/v1/sandboxes/" + sandbox + "/archives", tenant, null);
    assertThat(second.status()).as(second.body()).isEqualTo(429);
    assertThat(second.json().path("quota").asString()).isEqualTo("archiveBytesPerTenant");
    assertThat(second.json().path("current").asLong()).isEqualTo(size);
    Response preserving =
        call("DELETE", "/v1/sandboxes/" + sandbox + "?preserveData=true", tenant, null);
    assertThat(preserving.status()).as(preserving.body()).isEqualTo(429);

    // Deleting the archive frees its bytes; a destroy that keeps no data is never refused.
    String archiveId = first.json().path("id").asString();
    assertThat(call("DELETE", "/v1/archives/" + archiveId, tenant, null).status()).isEqualTo(204);
    Response third = call("POST", "/v1/sandboxes/" + sandbox + "/archives", tenant, null);
    assertThat(third.status()).as(third.body()).isEqualTo(201);
    assertOk(call("DELETE", "/v1/sandboxes/" + sandbox, tenant, null), "destroyed");
  }

  private JsonNode create(String key) {
    Response created = call("POST", "/v1/sandboxes", key, "{\"wait\": true}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().path("state").asString()).isEqualTo("running");
    return created.json();
  }

  private static void assertOk(Response response, String state) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    assertThat(response.json().path("state").asString()).isEqualTo(state);
  }

  /** Makes a tenant and answers its API key. */
  private String newTenant(String tenant) {
    String key = api.newTenantKey(tenant);
    tenantOfKey.put(key, tenant);
    return key;
  }

  private void setQuotas(String key, String body) {
    Response put = admin("PUT", "/v1/admin/tenants/" + tenantOfKey.get(key) + "/quotas", body);
    assertThat(put.status()).as(put.body()).isEqualTo(200);
  }

  private Response admin(String method, String path, String body) {
    return api.call(method, path, SandbarTestSupport.ADMIN_KEY, body, Map.of());
  }

  private Response call(String method, String path, String key, String body) {
    return api.call(method, path, key, body, Map.of());
  }
}
