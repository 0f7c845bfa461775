package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Tenants' networks through the whole system on real Docker: a listener in one sandbox serves a
 * word, a client in another asks for it by the listener's IP address through the exec API.
 */
class NetworkIsolationTest extends EndToEndTest {

  private static final String LISTENER =
      "\"command\": [\"sh\", \"-c\", \"while true; do echo secret | nc -l -p 7000; done\"]";

  private final List<String[]> created = new ArrayList<>();

  @AfterEach
  void destroy() {
    created.forEach(idAndKey -> call("DELETE", "/v1/sandboxes/" + idAndKey[0], idAndKey[1], null));
  }

  @Test
  void anotherTenantsSandboxCannotConnectToTheDefaultIsolatedOne() {
    String otherKey = api.newTenantKey("net-" + System.nanoTime());
    String listener = create(SandbarTestSupport.API_KEY, "{\"wait\": true, " + LISTENER + "}");
    String client = create(otherKey, "{\"wait\": true}");

    assertThat(fetch(client, otherKey, ipOf(listener))).doesNotContain("secret");
    assertThat(fetch(listener, SandbarTestSupport.API_KEY, "127.0.0.1"))
        .as("the listener does serve")
        .contains("secret");
  }

  @Test
  void aTenantsSandboxesOnItsSharedNetworkConnectAndTheNetworkGoesWithThem() {
    String tenant = "shared-" + System.nanoTime();
    String key = api.newTenantKey(tenant);
    String listener =
        create(key, "{\"wait\": true, \"networkMode\": \"shared\", " + LISTENER + "}");
    String client = create(key, "{\"wait\": true, \"networkMode\": \"shared\"}");
    assertThat(tenantNetworks(tenant)).hasSize(1);

    assertThat(fetch(client, key, ipOf(listener))).contains("secret");

    destroy();
    created.clear();
    assertThat(tenantNetworks(tenant)).as("removed with its last sandbox").isEmpty();
  }

  @Test
  void dockersDefaultBridgeIsRefusedUnlessTheDeploymentEnablesIt() {
    Response refused =
        call("POST", "/v1/sandboxes", SandbarTestSupport.API_KEY, "{\"networkMode\": \"bridge\"}");

    assertThat(refused.status()).as(refused.body()).isEqualTo(400);
    assertThat(refused.body()).contains("SANDBAR_ALLOW_BRIDGE_NETWORK");
  }

  private String create(String key, String body) {
    Response response = call("POST", "/v1/sandboxes", key, body);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    assertThat(response.json().get("state").asString()).as(response.body()).isEqualTo("running");
    String id = response.json().get("id").asString();
    created.add(new String[] {id, key});
    return id;
  }

  /** What a client in {@code sandbox} reads from port 7000 at {@code address}. */
  private String fetch(String sandbox, String key, String address) {
    Response response =
        call(
            "POST",
            "/v1/sandboxes/" + sandbox + "/exec",
            key,
            "{\"command\": \"nc -w 3 " + address + " 7000 || true\", \"timeoutSeconds\": 30}");
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json().get("stdout").asString();
  }

  private String ipOf(String sandbox) {
    var networks =
        docker.inspectContainerCmd("sandbar-" + sandbox).exec().getNetworkSettings().getNetworks();
    assertThat(networks).hasSize(1);
    return networks.values().iterator().next().getIpAddress();
  }

  private List<String> tenantNetworks(String tenant) {
    return docker
        .listNetworksCmd()
        .withFilter("label", List.of("sandbar.tenant-id=" + tenant))
        .exec()
        .stream()
        .map(network -> network.getName())
        .toList();
  }

  private Response call(String method, String path, String key, String body) {
    return api.call(method, path, key, body, Map.of());
  }
}
