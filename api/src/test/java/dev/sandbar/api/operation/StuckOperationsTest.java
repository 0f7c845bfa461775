package dev.sandbar.api.operation;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StuckOperationsTest extends ApiIntegrationTest {

  @Test
  void listsEveryTenantsSandboxesStuckInTransientStatesForTheAdminOnly() {
    Instant longAgo = Instant.now().minusSeconds(600);
    String stuck = insertSandbox(tenant.id(), "starting", longAgo, Map.of());
    insertSandbox(tenant.id(), "running", longAgo, Map.of());
    String recent = insertSandbox(tenant.id(), "stopping", Instant.now(), Map.of());
    String otherTenants = insertSandbox(newTenant().id(), "pausing", longAgo, Map.of());

    Response response = get("/v1/operations/stuck?olderThanSeconds=60", ADMIN_KEY);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    var item =
        response
            .json()
            .path("items")
            .valueStream()
            .filter(i -> i.path("sandboxId").asString().equals(stuck))
            .findFirst()
            .orElseThrow();
    assertThat(item.path("sandboxId").asString()).isEqualTo(stuck);
    assertThat(item.path("state").asString()).isEqualTo("starting");
    assertThat(item.path("stuckForSeconds").asLong()).isGreaterThanOrEqualTo(599);
    assertThat(item.path("temporalUiUrl").asString())
        .isEqualTo("http://localhost:8233/namespaces/default/workflows/sandbox-" + stuck);
    assertThat(item.path("sandbox").path("id").asString()).isEqualTo(stuck);

    assertThat(get("/v1/operations/stuck", ADMIN_KEY).body())
        .as("the admin sees every tenant's")
        .contains(stuck, otherTenants)
        .doesNotContain(recent);
    assertThat(get("/v1/operations/stuck?olderThanSeconds=0", ADMIN_KEY).body()).contains(recent);
    assertProblem(get("/v1/operations/stuck?olderThanSeconds=-1", ADMIN_KEY), 400, "validation");
    assertProblem(get("/v1/operations/stuck?olderThanSeconds=60", tenant.key()), 404, "not-found");
  }
}
