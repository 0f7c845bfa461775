package dev.sandbar.api.e2b.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

/**
 * E2B's control plane over real HTTP, on sandboxes written to the read model: its key header, its
 * shapes, its paging, tenant isolation, and errors that E2B's SDK can read.
 */
class E2bControlPlaneTest extends ApiIntegrationTest {

  private Response e2b(String method, String path, String key, String body) {
    return send(
        method, "/e2b" + path, null, body, key == null ? Map.of() : Map.of("X-API-Key", key));
  }

  /** A problem as E2B's SDK reads it: {@code code} and {@code message} beside Sandbar's members. */
  private static void assertE2bProblem(Response response, int status, String typeSlug) {
    assertProblem(response, status, typeSlug);
    assertThat(response.json().path("code").asInt()).isEqualTo(status);
    assertThat(response.json().path("message").asString())
        .isEqualTo(response.json().path("detail").asString());
  }

  @Test
  void theKeyTravelsInXApiKeyNotInABearerHeader() {
    Response bearer = get("/e2b/v2/sandboxes", tenant.key());
    assertE2bProblem(bearer, 401, "unauthorized");
    assertThat(bearer.json().path("message").asString()).contains("X-API-Key");

    assertE2bProblem(e2b("GET", "/v2/sandboxes", "sbk_not-a-key", null), 401, "unauthorized");
    assertThat(e2b("GET", "/v2/sandboxes", tenant.key(), null).status()).isEqualTo(200);
  }

  @Test
  void getShowsTheSandboxInE2bsShape() {
    String id = insertSandbox(tenant.id(), "paused", Instant.now(), Map.of("app", "demo"));

    Response got = e2b("GET", "/sandboxes/" + id, tenant.key(), null);

    assertThat(got.status()).as(got.body()).isEqualTo(200);
    JsonNode detail = got.json();
    assertThat(detail.path("sandboxID").asString()).isEqualTo(id);
    assertThat(detail.path("templateID").asString()).isEqualTo("base");
    assertThat(detail.path("state").asString()).isEqualTo("paused");
    assertThat(detail.path("metadata").path("app").asString()).isEqualTo("demo");
    assertThat(detail.path("envdVersion").asString()).isEqualTo("0.5.7");
    assertThat(detail.path("envdAccessToken").asString()).startsWith("sbe_");
    assertThat(detail.path("cpuCount").asInt()).isEqualTo(1);
    assertThat(detail.path("memoryMB").asInt()).isEqualTo(512);
    // Inserted without a lifetime: it never ends.
    assertThat(detail.path("endAt").asString()).isEqualTo("9999-12-31T23:59:59Z");
  }

  @Test
  void anotherTenantsSandboxAndADestroyedOneAreNotFound() {
    String others = insertRunningSandbox(newTenant().id());
    String destroyed = insertSandbox(tenant.id(), "destroyed", Instant.now(), Map.of());

    for (String id : new String[] {others, destroyed}) {
      assertE2bProblem(e2b("GET", "/sandboxes/" + id, tenant.key(), null), 404, "not-found");
      assertE2bProblem(e2b("DELETE", "/sandboxes/" + id, tenant.key(), null), 404, "not-found");
      assertE2bProblem(
          e2b("POST", "/sandboxes/" + id + "/timeout", tenant.key(), "{\"timeout\": 60}"),
          404,
          "not-found");
      assertE2bProblem(
          e2b("POST", "/v2/sandboxes/" + id + "/connect", tenant.key(), "{\"timeout\": 60}"),
          404,
          "not-found");
    }
  }

  @Test
  void listPagesWithXNextTokenAndFiltersByMetadataAndState() {
    Instant now = Instant.now();
    String first = insertSandbox(tenant.id(), "running", now.minusSeconds(3), Map.of("k", "a b"));
    String second = insertSandbox(tenant.id(), "stopped", now.minusSeconds(2), Map.of("k", "a b"));
    insertSandbox(tenant.id(), "running", now.minusSeconds(1), Map.of("k", "other"));
    insertSandbox(tenant.id(), "destroyed", now, Map.of("k", "a b"));
    // As E2B's SDK sends {k: "a b"}: the pair URL-encoded, then form-encoded, then the query.
    String metadata = "&metadata=k%3Da%252520b";

    // E2B's default order: newest first.
    Response page1 = e2b("GET", "/v2/sandboxes?limit=1" + metadata, tenant.key(), null);
    assertThat(page1.status()).as(page1.body()).isEqualTo(200);
    assertThat(page1.json().valueStream().map(s -> s.path("sandboxID").asString()))
        .containsExactly(second);
    assertThat(page1.json().get(0).path("state").asString()).isEqualTo("paused");
    String token = page1.headers().firstValue("X-Next-Token").orElseThrow();
    Response page2 =
        e2b("GET", "/v2/sandboxes?limit=1&nextToken=" + token + metadata, tenant.key(), null);
    assertThat(page2.json().valueStream().map(s -> s.path("sandboxID").asString()))
        .containsExactly(first);
    assertThat(page2.json().get(0).has("envdAccessToken")).isFalse();
    assertThat(page2.headers().firstValue("X-Next-Token")).isEmpty();

    Response running = e2b("GET", "/v2/sandboxes?state=running" + metadata, tenant.key(), null);
    assertThat(running.json().valueStream().map(s -> s.path("sandboxID").asString()))
        .containsExactly(first);
    Response oldestFirst = e2b("GET", "/v2/sandboxes?order=asc" + metadata, tenant.key(), null);
    assertThat(oldestFirst.json().valueStream().map(s -> s.path("sandboxID").asString()))
        .containsExactly(first, second);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "POST | /v2/sandboxes                  | {\"templateID\": 5}",
        "POST | /v2/sandboxes                  | {\"templateID\": \"base\", \"timeout\": \"x\"}",
        "POST | /v2/sandboxes                  | {\"templateID\": \"base\", \"timeout\": 1e30}",
        "POST | /v2/sandboxes                  | {\"templateID\": \"base\", \"metadata\": \"x\"}",
        "POST | /v2/sandboxes                  | {\"templateID\": \"base\", \"unknown\": 1}",
        "POST | /v2/sandboxes                  | not json",
        "POST | /sandboxes/sb-x/timeout        | {\"timeout\": -1}",
        "GET  | /v2/sandboxes?limit=abc        | ",
        "GET  | /v2/sandboxes?limit=101        | ",
        "GET  | /v2/sandboxes?nextToken=%25zz  | ",
        "GET  | /v2/sandboxes?state=killed     | ",
        "GET  | /v2/sandboxes?metadata=novalue | ",
      })
  void badInputIsA4xxProblemE2bCanRead(String method, String path, String body) {
    Response response = e2b(method, path, tenant.key(), body);

    assertThat(response.status()).as(response.body()).isBetween(400, 499);
    assertE2bProblem(
        response,
        response.status(),
        response.json().path("type").asString().replaceFirst(".*/", ""));
  }

  @Test
  void whatSandbarCannotHonourIsRefusedByName() {
    ensureBaseImageHost();
    Response autoPause =
        e2b(
            "POST",
            "/v2/sandboxes",
            tenant.key(),
            "{\"templateID\": \"base\", \"autoPause\": true, \"timeout\": 60}");
    assertE2bProblem(autoPause, 400, "validation");
    assertThat(autoPause.invalidFields()).containsExactly("autoPause");

    Response upperCase =
        e2b(
            "POST",
            "/v2/sandboxes",
            tenant.key(),
            "{\"templateID\": \"base\", \"metadata\": {\"userId\": \"7\"}}");
    assertThat(upperCase.invalidFields()).containsExactly("metadata.userId");

    assertThat(e2b("POST", "/v2/sandboxes", tenant.key(), "{}").invalidFields())
        .containsExactly("templateID");
    assertThat(e2b("GET", "/v2/sandboxes?order=sideways", tenant.key(), null).invalidFields())
        .containsExactly("order");

    Response metrics = e2b("GET", "/sandboxes/sb-x/metrics", tenant.key(), null);
    assertE2bProblem(metrics, 501, "not-implemented");
    assertThat(metrics.json().path("message").asString())
        .isEqualTo(
            "GET /sandboxes/sb-x/metrics is not supported by Sandbar's E2B API (see the README,"
                + " E2B SDK)");
    assertE2bProblem(
        e2b("POST", "/sandboxes/sb-x/snapshots", tenant.key(), "{}"), 501, "not-implemented");
  }
}
