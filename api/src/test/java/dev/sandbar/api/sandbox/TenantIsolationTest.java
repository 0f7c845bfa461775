package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Another tenant's sandbox is indistinguishable from one that does not exist. */
class TenantIsolationTest extends ApiIntegrationTest {

  @Test
  void otherTenantsSandboxIsNotFound() {
    TestTenant owner = newTenant();
    TestTenant stranger = newTenant();
    String id = insertRunningSandbox(owner.id());

    assertThat(get("/v1/sandboxes/" + id, owner.key()).status()).isEqualTo(200);

    assertProblem(get("/v1/sandboxes/" + id, stranger.key()), 404, "not-found");
    assertProblem(get("/v1/sandboxes/" + id + "/events", stranger.key()), 404, "not-found");
    assertProblem(post("/v1/sandboxes/" + id + "/stop", stranger.key(), null), 404, "not-found");
    assertProblem(post("/v1/sandboxes/" + id + "/touch", stranger.key(), null), 404, "not-found");
    assertProblem(delete("/v1/sandboxes/" + id, stranger.key()), 404, "not-found");
    assertThat(get("/v1/sandboxes", stranger.key()).json().path("items").isEmpty()).isTrue();
    assertThat(get("/v1/sandboxes/" + id, owner.key()).json().path("state").asString())
        .isEqualTo("running");
  }

  @Test
  void missingSandboxIsNotFound() {
    assertProblem(get("/v1/sandboxes/sb-doesnotexist", newTenant().key()), 404, "not-found");
  }

  @Test
  void destroyedSandboxRefusesOperationsButDestroyAnswersWithIt() {
    TestTenant owner = newTenant();
    String id = insertSandbox(owner.id(), "destroyed", Instant.now(), Map.of());

    Response stop = post("/v1/sandboxes/" + id + "/stop", owner.key(), null);
    assertProblem(stop, 409, "invalid-state");
    assertThat(stop.json().path("detail").asString()).isEqualTo("sandbox " + id + " is destroyed");
    assertProblem(post("/v1/sandboxes/" + id + "/touch", owner.key(), null), 409, "invalid-state");

    Response destroy = delete("/v1/sandboxes/" + id, owner.key());
    assertThat(destroy.status()).isEqualTo(200);
    assertThat(destroy.json().path("state").asString()).isEqualTo("destroyed");
  }
}
