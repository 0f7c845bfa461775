package dev.sandbar.api.sandbox;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiApplication;
import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * The API's own Temporal client (from {@code ApiAutoConfiguration}) pointed at a port nobody
 * listens on: requests that need Temporal answer 503 and leave nothing behind.
 */
@SpringBootTest(
    classes = ApiApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sandbar.admin-key=" + ApiIntegrationTest.ADMIN_KEY)
class TemporalUnavailableTest extends ApiIntegrationTest {

  @DynamicPropertySource
  static void unreachableTemporal(DynamicPropertyRegistry registry) {
    registry.add("sandbar.temporal.address", () -> "127.0.0.1:" + closedPort());
    registry.add("sandbar.temporal.rpc-retry-expiration", () -> "2s");
  }

  @Test
  void createAnswers503AndRemovesItsRow() {
    ensureBaseImageHost();

    Response response = post("/v1/sandboxes", tenant.key(), "{}");

    assertProblem(response, 503, "unavailable");
    assertThat(response.headers().firstValue("Retry-After")).isPresent();
    assertThat(sandboxRows(tenant.id())).isZero();
  }

  @Test
  void operationAnswers503() {
    String id = insertRunningSandbox(tenant.id());

    assertProblem(post("/v1/sandboxes/" + id + "/pause", tenant.key(), null), 503, "unavailable");
    assertThat(get("/v1/sandboxes/" + id, tenant.key()).status())
        .as("reads need only the database")
        .isEqualTo(200);
  }

  @Test
  void healthReportsTemporalDown() {
    ensureBaseImageHost();

    Response health = get("/v1/health", null);

    assertThat(health.status()).isEqualTo(503);
    assertThat(health.json().path("temporal").asString()).isEqualTo("down");
    assertThat(health.json().path("database").asString()).isEqualTo("up");
    assertThat(health.json().path("status").asString()).isEqualTo("down");
  }

  private static int closedPort() {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
