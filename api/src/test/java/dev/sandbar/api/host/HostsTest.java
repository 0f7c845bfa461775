package dev.sandbar.api.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HostsTest extends ApiIntegrationTest {

  @Test
  void onlyTheAdminReadsAndDrainsHostsAndTenantsAreAnsweredNotFound() {
    String id = "host-" + System.nanoTime();
    insertHost(id, "online", Instant.now(), true, BASE_IMAGE, "busybox:1.36");
    Response one = get("/v1/hosts/" + id, ADMIN_KEY);
    assertThat(one.status()).as(one.body()).isEqualTo(200);
    assertThat(one.json().path("state").asString()).isEqualTo("online");
    assertThat(one.json().path("online").asBoolean()).isTrue();
    assertThat(one.json().path("images").toString()).contains(BASE_IMAGE, "busybox:1.36");
    assertThat(get("/v1/hosts", ADMIN_KEY).json().path("items").toString()).contains(id);

    assertProblem(get("/v1/hosts", tenant.key()), 404, "not-found");
    assertProblem(get("/v1/hosts/" + id, tenant.key()), 404, "not-found");
    assertProblem(get("/v1/hosts/" + id + "/events", tenant.key()), 404, "not-found");
    assertProblem(post("/v1/hosts/" + id + "/drain", tenant.key(), null), 404, "not-found");
    assertProblem(get("/v1/hosts", null), 401, "unauthorized");

    Response drained = post("/v1/hosts/" + id + "/drain", ADMIN_KEY, null);
    assertThat(drained.status()).isEqualTo(200);
    assertThat(drained.json().path("state").asString()).isEqualTo("draining");
    assertThat(drained.json().path("online").asBoolean()).isFalse();
  }

  @Test
  void aHostSaysWhetherItsDaemonRemapsContainerRoot() {
    String id = "host-" + System.nanoTime();
    insertHost(id, "online", Instant.now(), true, BASE_IMAGE);
    assertThat(get("/v1/hosts/" + id, ADMIN_KEY).json().path("userNamespaces").isNull())
        .as("unknown until a worker that checks registers it")
        .isTrue();

    jdbi.useHandle(
        handle -> handle.execute("update hosts set user_namespaces = true where id = ?", id));

    assertThat(get("/v1/hosts/" + id, ADMIN_KEY).json().path("userNamespaces").asBoolean())
        .isTrue();
  }

  @Test
  void unknownHostIsNotFound() {
    assertProblem(get("/v1/hosts/nope", ADMIN_KEY), 404, "not-found");
    assertProblem(post("/v1/hosts/nope/drain", ADMIN_KEY, null), 404, "not-found");
  }
}
