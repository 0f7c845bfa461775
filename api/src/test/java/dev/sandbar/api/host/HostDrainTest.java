package dev.sandbar.api.host;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.store.host.HostRegistration;
import dev.sandbar.store.host.HostRegistryDao;
import dev.sandbar.store.host.UnclaimedContainer;
import dev.sandbar.store.host.UnclaimedContainerDao;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * What {@code GET /v1/hosts} shows of a host (state, capacity, allocation, sandbox counts,
 * unclaimed containers) and how drain and undrain change it.
 */
class HostDrainTest extends ApiIntegrationTest {

  @Test
  void aHostShowsWhatItsSandboxesHoldAndTheirStates() {
    String host = "host-" + System.nanoTime();
    insertHost(host, "online", Instant.now(), true, BASE_IMAGE);
    // Default spec: limits of 1 CPU and 512 MB, requests of 5 % and 50 % of them.
    placeOn(host, insertSandbox(tenant.id(), "running", Instant.now(), Map.of()));
    placeOn(host, insertSandbox(tenant.id(), "paused", Instant.now(), Map.of()));
    placeOn(host, insertSandbox(tenant.id(), "stopped", Instant.now(), Map.of()));
    placeOn(host, insertSandbox(tenant.id(), "destroyed", Instant.now(), Map.of()));
    jdbi.onDemand(UnclaimedContainerDao.class)
        .replace(host, List.of(new UnclaimedContainer.Found("c-1", "sb-x", "sb-x", true)));

    Response response = get("/v1/hosts/" + host, ADMIN_KEY);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode json = response.json();
    assertThat(json.path("state").asString()).isEqualTo("online");
    assertThat(json.path("reachable").asBoolean()).isTrue();
    assertThat(json.path("draining").asBoolean()).isFalse();
    assertThat(json.path("cpus").asDouble()).isEqualTo(8);
    assertThat(json.path("memoryMb").asLong()).isEqualTo(16384);
    assertThat(json.path("maxSandboxes").asInt()).isEqualTo(100);
    JsonNode allocation = json.path("allocation");
    assertThat(allocation.path("cpus").asDouble())
        .as("stopped hold nothing, paused memory only")
        .isEqualTo(0.05);
    assertThat(allocation.path("memoryMb").asLong()).isEqualTo(512);
    assertThat(allocation.path("sandboxes").asInt()).isEqualTo(3);
    assertThat(json.path("sandboxes").asLong()).isEqualTo(3);
    JsonNode states = json.path("sandboxStates");
    assertThat(states.path("running").asLong()).isEqualTo(1);
    assertThat(states.path("paused").asLong()).isEqualTo(1);
    assertThat(states.path("stopped").asLong()).isEqualTo(1);
    assertThat(states.path("creating").asLong()).isZero();
    assertThat(states.has("destroyed")).isFalse();
    assertThat(json.path("unclaimed")).hasSize(1);
    assertThat(json.path("unclaimed").get(0).path("containerId").asString()).isEqualTo("c-1");
    assertThat(json.path("unclaimed").get(0).path("hasVolume").asBoolean()).isTrue();

    JsonNode listed =
        get("/v1/hosts", ADMIN_KEY).items().stream()
            .filter(item -> host.equals(item.path("id").asString()))
            .findFirst()
            .orElseThrow();
    assertThat(listed.path("allocation").path("memoryMb").asLong()).isEqualTo(512);
    assertThat(listed.path("sandboxStates").path("running").asLong()).isEqualTo(1);
  }

  @Test
  void aSilentHostIsUnreachableAndADrainedOneSaysSo() {
    String stale = "host-stale-" + System.nanoTime();
    insertHost(stale, "online", Instant.now().minusSeconds(120), true);
    String noDocker = "host-nodocker-" + System.nanoTime();
    insertHost(noDocker, "online", Instant.now(), false);
    String offline = "host-offline-" + System.nanoTime();
    insertHost(offline, "offline", Instant.now(), true);

    for (String host : List.of(stale, noDocker, offline)) {
      JsonNode json = get("/v1/hosts/" + host, ADMIN_KEY).json();
      assertThat(json.path("state").asString()).as(host).isEqualTo("unreachable");
      assertThat(json.path("online").asBoolean()).isFalse();
      assertThat(json.path("reachable").asBoolean()).isFalse();
    }

    JsonNode drained = post("/v1/hosts/" + stale + "/drain", ADMIN_KEY, null).json();
    assertThat(drained.path("state").asString()).isEqualTo("unreachable");
    assertThat(drained.path("draining").asBoolean()).isTrue();
  }

  @Test
  void drainAndUndrainAreIdempotentAuditedAndAdminOnly() {
    String host = "host-" + System.nanoTime();
    insertHost(host, "online", Instant.now(), true, BASE_IMAGE);

    assertProblem(post("/v1/hosts/" + host + "/undrain", tenant.key(), null), 404, "not-found");
    Response first = post("/v1/hosts/" + host + "/drain?reason=maintenance", ADMIN_KEY, null);
    Response second = post("/v1/hosts/" + host + "/drain", ADMIN_KEY, null);
    assertThat(first.status()).as(first.body()).isEqualTo(200);
    assertThat(second.status()).as(second.body()).isEqualTo(200);
    assertThat(second.json().path("state").asString()).isEqualTo("draining");
    assertThat(second.json().path("draining").asBoolean()).isTrue();

    Response undrained = post("/v1/hosts/" + host + "/undrain", ADMIN_KEY, null);
    Response again = post("/v1/hosts/" + host + "/undrain", ADMIN_KEY, null);
    assertThat(undrained.status()).as(undrained.body()).isEqualTo(200);
    assertThat(again.status()).as(again.body()).isEqualTo(200);
    assertThat(again.json().path("state").asString()).isEqualTo("online");
    assertThat(again.json().path("online").asBoolean()).isTrue();

    Response events = get("/v1/hosts/" + host + "/events", ADMIN_KEY);
    assertThat(events.status()).as(events.body()).isEqualTo(200);
    assertThat(events.itemValues("action")).containsExactly("drain", "undrain");
    assertThat(events.itemValues("actor")).containsExactly("admin", "admin");
    assertThat(events.itemValues("reason").getFirst()).isEqualTo("maintenance");

    assertProblem(post("/v1/hosts/nope/undrain", ADMIN_KEY, null), 404, "not-found");
    assertProblem(get("/v1/hosts/nope/events", ADMIN_KEY), 404, "not-found");
  }

  @Test
  void placementSkipsADrainedHostEvenAfterItsWorkerRegistersAgain() {
    String host = "host-" + System.nanoTime();
    String image = "only-here:" + System.nanoTime();
    insertHost(host, "online", Instant.now(), true, image);
    post("/v1/hosts/" + host + "/drain", ADMIN_KEY, null);

    // The worker restarts: it registers its host again, as HostWorker does at start-up.
    jdbi.onDemand(HostRegistryDao.class)
        .upsert(
            new HostRegistration(
                host, "sandbar-host-" + host, 8, 16384, 100, List.of(), List.of(image)));

    JsonNode json = get("/v1/hosts/" + host, ADMIN_KEY).json();
    assertThat(json.path("state").asString()).isEqualTo("draining");
    assertThat(json.path("draining").asBoolean()).isTrue();
    Response create = post("/v1/sandboxes", tenant.key(), "{\"image\": \"" + image + "\"}");
    assertProblem(create, 400, "validation");
    assertThat(create.invalidFields()).containsExactly("image");
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  private void placeOn(String hostId, String sandboxId) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate("update sandboxes set host_id = :host where id = :id")
                .bind("host", hostId)
                .bind("id", sandboxId)
                .execute());
  }
}
