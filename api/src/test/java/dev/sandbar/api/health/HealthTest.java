package dev.sandbar.api.health;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class HealthTest extends ApiIntegrationTest {

  @Test
  void dockerIsDownUntilAHostWithReachableDockerHeartbeats() {
    jdbi.useHandle(h -> h.execute("delete from hosts"));
    insertHost("no-docker", "online", Instant.now(), false, BASE_IMAGE);
    insertHost("silent", "online", Instant.now().minusSeconds(300), true, BASE_IMAGE);

    Response down = get("/v1/health", null);
    assertThat(down.status()).isEqualTo(503);
    assertThat(down.headers().firstValue("Retry-After")).isPresent();
    assertThat(down.json().path("state").asString()).isEqualTo("ready");
    assertThat(down.json().path("status").asString()).isEqualTo("down");
    assertThat(down.json().path("temporal").asString()).isEqualTo("up");
    assertThat(down.json().path("database").asString()).isEqualTo("up");
    assertThat(down.json().path("docker").asString()).isEqualTo("down");

    insertHost("healthy", "online", Instant.now(), true, BASE_IMAGE);

    Response up = get("/v1/health", null);
    assertThat(up.status()).isEqualTo(200);
    assertThat(up.json().path("status").asString()).isEqualTo("up");
    assertThat(up.json().path("docker").asString()).isEqualTo("up");
  }

  @Test
  void readinessProbeSaysTheApplicationIsReady() {
    Response readiness = get("/actuator/health/readiness", null);
    assertThat(readiness.status()).as(readiness.body()).isEqualTo(200);
    assertThat(readiness.json().path("status").asString()).isEqualTo("UP");
    assertThat(
            readiness
                .json()
                .path("components")
                .path("startup")
                .path("details")
                .path("state")
                .asString())
        .isEqualTo("ready");
  }
}
