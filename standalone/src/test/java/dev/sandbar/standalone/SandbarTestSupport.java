package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import tools.jackson.databind.JsonNode;

/** A small HTTP client for the Sandbar API, used by the end-to-end tests. */
final class SandbarTestSupport {

  static final String API_KEY = "sbk_test_default_tenant_key";
  static final String ADMIN_KEY = "sbk_test_admin_key";

  private final ApiClient client;

  SandbarTestSupport(int port) {
    this.client = new ApiClient(port, Duration.ofSeconds(120));
  }

  Response call(String method, String path, String key, String body, Map<String, String> headers) {
    return client.send(method, path, key, body, headers);
  }

  Response call(String method, String path, String body) {
    return call(method, path, API_KEY, body, Map.of());
  }

  /** Runs a command in the sandbox (the exec request {@code body}); asserts the answer's status. */
  Response exec(String sandboxId, String body, int expectedStatus) {
    Response response = call("POST", "/v1/sandboxes/" + sandboxId + "/exec", body);
    assertThat(response.status()).as(response.body()).isEqualTo(expectedStatus);
    return response;
  }

  /** Creates a sandbox and waits until it settles; asserts it is running. */
  JsonNode createRunning(String body) {
    Response created = call("POST", "/v1/sandboxes", body);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.json().get("state").asString()).as(created.body()).isEqualTo("running");
    return created.json();
  }

  JsonNode get(String id) {
    Response response = call("GET", "/v1/sandboxes/" + id, null);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  JsonNode operate(String id, String operation) {
    Response response = call("POST", "/v1/sandboxes/" + id + "/" + operation, null);
    assertThat(response.status()).as(operation + ": " + response.body()).isEqualTo(200);
    return response.json();
  }

  /** Makes a tenant (with the admin key) and answers a new API key of it. */
  String newTenantKey(String tenant) {
    Response created =
        call(
            "POST",
            "/v1/admin/tenants",
            ADMIN_KEY,
            "{\"id\": \"" + tenant + "\", \"name\": \"" + tenant + "\"}",
            Map.of());
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    Response key = call("POST", "/v1/admin/tenants/" + tenant + "/keys", ADMIN_KEY, null, Map.of());
    assertThat(key.status()).as(key.body()).isEqualTo(201);
    return key.json().get("key").asString();
  }

  /**
   * Scrapes {@code /actuator/prometheus} (with {@code key}, or none) until the text holds every
   * needle, polling each second without asserting any duration; fails after {@code bound}.
   */
  String scrapeUntilItHas(String key, List<String> needles, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    String body = "";
    while (System.nanoTime() < deadline) {
      Response response = call("GET", "/actuator/prometheus", key, null, Map.of());
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      body = response.body();
      String text = body;
      if (needles.stream().allMatch(text::contains)) {
        return body;
      }
      sleep(1000);
    }
    String text = body;
    assertThat(needles).as("metric lines missing from the scrape").allMatch(text::contains);
    return body;
  }

  /** The sandbox's audit trail, oldest first. */
  List<JsonNode> events(String id) {
    Response events = call("GET", "/v1/sandboxes/" + id + "/events", null);
    assertThat(events.status()).as(events.body()).isEqualTo(200);
    return events.json().get("items").valueStream().toList();
  }

  /** Asserts that reconciliation stopped the sandbox because its container exited. */
  void assertStoppedByReconcileOnExit(String id) {
    assertThat(events(id))
        .anySatisfy(
            event -> {
              assertThat(event.get("toState").asString()).isEqualTo("stopped");
              assertThat(event.get("action").asString()).isEqualTo("reconcile");
              assertThat(event.get("actor").asString()).isEqualTo("system");
              assertThat(event.get("reason").asString()).contains("exited with code");
            });
  }

  /** Polls (without asserting any duration) until the sandbox matches, or fails after a bound. */
  JsonNode awaitSandbox(String id, Predicate<JsonNode> condition, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    JsonNode last = null;
    while (System.nanoTime() < deadline) {
      last = get(id);
      if (condition.test(last)) {
        return last;
      }
      sleep(200);
    }
    throw new AssertionError("sandbox " + id + " never reached the expected state; last: " + last);
  }

  static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
