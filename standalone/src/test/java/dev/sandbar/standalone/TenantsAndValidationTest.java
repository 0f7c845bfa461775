package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.util.Map;
import javax.sql.DataSource;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.jdbc.core.JdbcTemplate;

class TenantsAndValidationTest extends EndToEndTest {

  @Autowired DataSource dataSource;

  @Test
  void aTenantCannotSeeOrTouchAnotherTenantsSandbox() {
    String otherKey = api.newTenantKey("other-" + System.nanoTime());
    String id = api.createRunning("{\"wait\": true}").get("id").asString();

    assertThat(call("GET", "/v1/sandboxes/" + id, otherKey).status()).isEqualTo(404);
    assertThat(call("POST", "/v1/sandboxes/" + id + "/stop", otherKey).status()).isEqualTo(404);
    assertThat(call("DELETE", "/v1/sandboxes/" + id, otherKey).status()).isEqualTo(404);
    assertThat(call("GET", "/v1/sandboxes", otherKey).body()).doesNotContain(id);
    assertThat(api.get(id).get("state").asString()).isEqualTo("running");

    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void requestsWithoutAValidKeyAreUnauthorized() {
    Response response = call("GET", "/v1/sandboxes", "sbk_not_a_key");
    assertThat(response.status()).isEqualTo(401);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"unknownField\": 1}",
        "{\"resources\": {\"cpus\": -1, \"memoryMb\": 128, \"pids\": 64}}",
        "{\"resources\": {\"cpus\": 1, \"memoryMb\": -5, \"pids\": 64}}",
        "{\"resources\": {\"cpus\": 1, \"memoryMb\": 99999999999, \"pids\": 64}}",
        "{\"resources\": {\"cpus\": 100000, \"memoryMb\": 128, \"pids\": 64}}",
        "{\"image\": \"no-such-image:never\"}",
        "{\"dataPath\": \"relative/path\"}",
        "{\"idleTimeoutSeconds\": -3}",
        "{\"image\": ",
        "[1, 2, 3]"
      })
  void badInputGetsAProblemAndLeavesNothingBehind(String body) {
    int rowsBefore = sandboxRows();
    int containersBefore = managedContainers();

    Response response = api.call("POST", "/v1/sandboxes", body);

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body()).doesNotContain("Exception").doesNotContain("\tat ");
    assertThat(sandboxRows()).isEqualTo(rowsBefore);
    assertThat(managedContainers()).isEqualTo(containersBefore);
  }

  @Test
  void unknownSandboxIsNotFound() {
    Response response = api.call("GET", "/v1/sandboxes/sb-doesnotexist", null);
    assertThat(response.status()).isEqualTo(404);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }

  private Response call(String method, String path, String key) {
    return api.call(method, path, key, null, Map.of());
  }

  private int sandboxRows() {
    Integer count =
        new JdbcTemplate(dataSource)
            .queryForObject("select count(*) from sandboxes", Integer.class);
    return count == null ? 0 : count;
  }

  /** Containers on the daemon; unclaimed warm-pool ones (refilled at any time) do not count. */
  private int managedContainers() {
    return (int)
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of("sandbar.managed", "true"))
            .exec()
            .stream()
            .filter(c -> !c.getNames()[0].startsWith("/sandbar-pool-"))
            .count();
  }
}
