package dev.sandbar.api.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.WorkflowIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Quotas through the API, over the real sandbox and exec workflows (commands are scripts run by the
 * test worker): the 429 problem, the admin's overrides, and concurrent admission.
 */
class QuotaTest extends WorkflowIntegrationTest {

  private static final String BACKGROUND_SLEEP =
      "{\"command\": \"sleep 30\", \"background\": true}";

  @Test
  void aTenantWithoutOverridesGetsTheDeploymentDefaults() {
    JsonNode quotas = get(quotas(tenant.id()), ADMIN_KEY).json();

    assertThat(quotas.path("tenantId").asString()).isEqualTo(tenant.id());
    assertThat(quotas.path("limits").path("commandsPerSandbox").asInt())
        .isEqualTo(QuotaDefaults.COMMANDS_PER_SANDBOX);
    assertThat(quotas.path("limits").path("commandsPerTenant").asInt())
        .isEqualTo(QuotaDefaults.COMMANDS_PER_TENANT);
    assertThat(quotas.path("limits").path("sandboxesPerTenant").asInt())
        .isEqualTo(QuotaDefaults.SANDBOXES_PER_TENANT);
    assertThat(quotas.path("limits").path("archiveBytesPerTenant").asLong())
        .isEqualTo(QuotaDefaults.ARCHIVE_BYTES_PER_TENANT);
    assertThat(quotas.path("overrides").path("commandsPerSandbox").isNull()).isTrue();
    assertThat(quotas.path("usage").path("sandboxes").asLong()).isZero();
  }

  @Test
  void theAdminOverridesATenantsQuotasAndATenantReadsItsOwn() {
    Response put =
        put(
            quotas(tenant.id()),
            ADMIN_KEY,
            "{\"commandsPerSandbox\": 2, \"sandboxesPerTenant\": 5}");

    assertThat(put.status()).as(put.body()).isEqualTo(200);
    JsonNode own = get("/v1/quotas", tenant.key()).json();
    assertThat(own.path("limits").path("commandsPerSandbox").asInt()).isEqualTo(2);
    assertThat(own.path("limits").path("sandboxesPerTenant").asInt()).isEqualTo(5);
    assertThat(own.path("limits").path("commandsPerTenant").asInt())
        .isEqualTo(QuotaDefaults.COMMANDS_PER_TENANT);
    assertThat(own.path("overrides").path("commandsPerSandbox").asInt()).isEqualTo(2);
    assertThat(own.path("overrides").path("commandsPerTenant").isNull()).isTrue();

    // A member left out returns to the default: the body replaces the overrides whole.
    put(quotas(tenant.id()), ADMIN_KEY, "{\"sandboxesPerTenant\": 5}");
    assertThat(
            get("/v1/quotas", tenant.key())
                .json()
                .path("limits")
                .path("commandsPerSandbox")
                .asInt())
        .isEqualTo(QuotaDefaults.COMMANDS_PER_SANDBOX);
  }

  @Test
  void quotaOverridesAreTheAdminsAndAreValidated() {
    assertProblem(
        put(quotas(tenant.id()), tenant.key(), "{\"commandsPerSandbox\": 1000}"), 403, "forbidden");
    assertProblem(get(quotas("no-such-tenant"), ADMIN_KEY), 404, "not-found");
    assertInvalid(
        put(quotas(tenant.id()), ADMIN_KEY, "{\"commandsPerTenant\": -1}"), "commandsPerTenant");
    assertInvalid(put(quotas(tenant.id()), ADMIN_KEY, "{\"commands\": 3}"), "commands");
    assertThat(
            get(quotas(tenant.id()), ADMIN_KEY)
                .json()
                .path("overrides")
                .path("commandsPerTenant")
                .isNull())
        .isTrue();
  }

  @Test
  void commandsBeyondTheSandboxQuotaAre429NamingTheQuotaAndTheUse() {
    String sandbox = runningSandbox(tenant);
    put(quotas(tenant.id()), ADMIN_KEY, "{\"commandsPerSandbox\": 2}");
    String first = exec(sandbox, BACKGROUND_SLEEP, 202).json().path("taskId").asString();
    exec(sandbox, BACKGROUND_SLEEP, 202);

    Response refused = post(execPath(sandbox), tenant.key(), BACKGROUND_SLEEP);

    assertProblem(refused, 429, "quota-exceeded");
    assertThat(refused.json().path("quota").asString()).isEqualTo("commandsPerSandbox");
    assertThat(refused.json().path("limit").asLong()).isEqualTo(2);
    assertThat(refused.json().path("current").asLong()).isEqualTo(2);
    assertThat(refused.json().path("detail").asString()).contains("commandsPerSandbox", "2 of 2");
    assertThat(get("/v1/sandboxes/" + sandbox + "/tasks", tenant.key()).json().path("items"))
        .hasSize(2);

    // A command that ends frees its slot.
    assertThat(delete("/v1/sandboxes/" + sandbox + "/tasks/" + first, tenant.key()).status())
        .isEqualTo(200);
    exec(sandbox, BACKGROUND_SLEEP, 202);
  }

  @Test
  void theTenantQuotaCountsCommandsInAllItsSandboxes() {
    String one = runningSandbox(tenant);
    String two = runningSandbox(tenant);
    put(quotas(tenant.id()), ADMIN_KEY, "{\"commandsPerTenant\": 2}");
    exec(one, BACKGROUND_SLEEP, 202);
    exec(two, BACKGROUND_SLEEP, 202);

    Response refused = post(execPath(one), tenant.key(), BACKGROUND_SLEEP);

    assertProblem(refused, 429, "quota-exceeded");
    assertThat(refused.json().path("quota").asString()).isEqualTo("commandsPerTenant");
    assertThat(refused.json().path("current").asLong()).isEqualTo(2);
    // Another tenant is not affected.
    TestTenant other = newTenant();
    exec(runningSandbox(other), BACKGROUND_SLEEP, 202, other);
  }

  @Test
  void aConcurrentFloodIsAdmittedExactlyUpToTheDefaultSandboxQuota() throws Exception {
    String sandbox = runningSandbox(tenant);
    int flood = QuotaDefaults.COMMANDS_PER_SANDBOX + 16;
    ExecutorService senders = Executors.newFixedThreadPool(16);
    List<CompletableFuture<Response>> answers = new ArrayList<>();
    try {
      for (int i = 0; i < flood; i++) {
        answers.add(
            CompletableFuture.supplyAsync(
                () -> post(execPath(sandbox), tenant.key(), BACKGROUND_SLEEP), senders));
      }
      CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).join();
    } finally {
      senders.shutdown();
    }

    List<Integer> statuses = answers.stream().map(answer -> answer.join().status()).toList();
    assertThat(statuses.stream().filter(status -> status == 202))
        .hasSize(QuotaDefaults.COMMANDS_PER_SANDBOX);
    assertThat(statuses.stream().filter(status -> status == 429)).hasSize(16);
    assertThat(get("/v1/quotas", tenant.key()).json().path("usage").path("commands").asLong())
        .isEqualTo(QuotaDefaults.COMMANDS_PER_SANDBOX);
  }

  @Test
  void sandboxesBeyondTheTenantQuotaAre429AndARepeatedKeyIsNot() {
    put(quotas(tenant.id()), ADMIN_KEY, "{\"sandboxesPerTenant\": 1}");
    ensureBaseImageHost();
    Map<String, String> key = Map.of("Idempotency-Key", "only-one");
    Response first = send("POST", "/v1/sandboxes", tenant.key(), "{\"wait\": true}", key);
    assertThat(first.status()).as(first.body()).isEqualTo(201);

    Response refused = post("/v1/sandboxes", tenant.key(), "{}");

    assertProblem(refused, 429, "quota-exceeded");
    assertThat(refused.json().path("quota").asString()).isEqualTo("sandboxesPerTenant");
    assertThat(refused.json().path("limit").asLong()).isEqualTo(1);
    assertThat(refused.json().path("current").asLong()).isEqualTo(1);
    Response repeated = send("POST", "/v1/sandboxes", tenant.key(), "{}", key);
    assertThat(repeated.json().path("id").asString()).isEqualTo(first.json().path("id").asString());

    // Destroyed sandboxes do not count.
    assertThat(delete("/v1/sandboxes/" + first.json().path("id").asString(), tenant.key()).status())
        .isEqualTo(200);
    assertThat(post("/v1/sandboxes", tenant.key(), "{}").status()).isEqualTo(201);
  }

  @Test
  void archivesAreRefusedOnceTheTenantKeepsItsQuotaOfBytes() {
    String sandbox = runningSandbox(tenant);
    insertArchive(tenant.id(), sandbox, "ready", Instant.now(), "0".repeat(64));
    put(quotas(tenant.id()), ADMIN_KEY, "{\"archiveBytesPerTenant\": 4096}");

    Response snapshot = post("/v1/sandboxes/" + sandbox + "/archives", tenant.key(), null);
    assertProblem(snapshot, 429, "quota-exceeded");
    assertThat(snapshot.json().path("quota").asString()).isEqualTo("archiveBytesPerTenant");
    assertThat(snapshot.json().path("current").asLong()).isEqualTo(4096);
    assertProblem(
        delete("/v1/sandboxes/" + sandbox + "?preserveData=true", tenant.key()),
        429,
        "quota-exceeded");
    assertThat(get("/v1/sandboxes/" + sandbox, tenant.key()).json().path("state").asString())
        .isEqualTo("running");

    put(quotas(tenant.id()), ADMIN_KEY, "{\"archiveBytesPerTenant\": 1048576}");
    Response allowed = post("/v1/sandboxes/" + sandbox + "/archives", tenant.key(), null);
    assertThat(allowed.status()).as(allowed.body()).isEqualTo(201);
  }

  private Response put(String path, String key, String body) {
    return send("PUT", path, key, body, Map.of());
  }

  private Response exec(String sandbox, String body, int expectedStatus) {
    return exec(sandbox, body, expectedStatus, tenant);
  }

  private Response exec(String sandbox, String body, int expectedStatus, TestTenant who) {
    Response response = post(execPath(sandbox), who.key(), body);
    assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
    return response;
  }

  private static String quotas(String tenantId) {
    return "/v1/admin/tenants/" + tenantId + "/quotas";
  }

  private static String execPath(String sandbox) {
    return "/v1/sandboxes/" + sandbox + "/exec";
  }
}
