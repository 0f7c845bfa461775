package dev.sandbar.api.e2b.control;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.WorkflowIntegrationTest;
import dev.sandbar.api.e2b.SandboxAccessTokens;
import dev.sandbar.api.testing.ApiClient.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * E2B's calls drive the real sandbox workflow (over in-memory Docker stand-ins), with E2B's status
 * codes, and the native API sees each of their effects.
 */
class E2bLifecycleTest extends WorkflowIntegrationTest {

  @Autowired SandboxAccessTokens tokens;

  private Response e2b(String method, String path, String body) {
    return send(method, "/e2b" + path, null, body, Map.of("X-API-Key", tenant.key()));
  }

  private JsonNode nativeView(String id) {
    Response got = get("/v1/sandboxes/" + id, tenant.key());
    assertThat(got.status()).as(got.body()).isEqualTo(200);
    return got.json();
  }

  @Test
  void createPauseConnectTimeoutAndKillAsE2bAnswersThem() {
    ensureBaseImageHost();
    Response created =
        e2b(
            "POST",
            "/v2/sandboxes",
            """
            {"templateID": "base", "timeout": 120, "metadata": {"app": "demo"},
             "envVars": {"GREETING": "hi"}}
            """);
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().path("sandboxID").asString();
    assertThat(created.json().path("templateID").asString()).isEqualTo("base");
    assertThat(created.json().path("clientID").asString()).isEqualTo("sandbar");
    assertThat(created.json().path("envdVersion").asString()).isEqualTo("0.5.7");
    assertThat(created.json().path("envdAccessToken").asString())
        .isEqualTo(tokens.tokenFor(tenant.id(), id));
    assertThat(created.json().path("domain").isNull()).isTrue();

    JsonNode sandbox = nativeView(id);
    assertThat(sandbox.path("state").asString()).isEqualTo("running");
    assertThat(sandbox.path("labels").path("app").asString()).isEqualTo("demo");
    assertThat(sandbox.path("env").path("GREETING").asString()).isEqualTo("hi");
    assertThat(sandbox.path("idleTimeoutSeconds").asLong()).isZero();
    // 120 s from when it came up, which was a moment after it was created.
    assertThat(sandbox.path("ttlSeconds").asLong()).isBetween(120L, 180L);

    assertThat(e2b("POST", "/v2/sandboxes/" + id + "/connect", "{\"timeout\": 10}").status())
        .as("connect to a running sandbox")
        .isEqualTo(200);
    assertThat(nativeView(id).path("ttlSeconds").asLong())
        .as("a connect never shortens the lifetime")
        .isEqualTo(sandbox.path("ttlSeconds").asLong());

    assertThat(e2b("POST", "/sandboxes/" + id + "/pause", "{}").status()).isEqualTo(204);
    Response pausedAgain = e2b("POST", "/sandboxes/" + id + "/pause", null);
    assertThat(pausedAgain.status()).isEqualTo(409);
    assertThat(pausedAgain.json().path("code").asInt()).isEqualTo(409);
    assertThat(nativeView(id).path("state").asString()).isEqualTo("paused");

    Response resumed = e2b("POST", "/v2/sandboxes/" + id + "/connect", "{\"timeout\": 600}");
    assertThat(resumed.status()).as(resumed.body()).isEqualTo(201);
    assertThat(resumed.json().path("sandboxID").asString()).isEqualTo(id);
    JsonNode afterConnect = nativeView(id);
    assertThat(afterConnect.path("state").asString()).isEqualTo("running");
    assertThat(afterConnect.path("ttlSeconds").asLong()).isBetween(600L, 700L);

    assertThat(e2b("POST", "/sandboxes/" + id + "/timeout", "{\"timeout\": 30}").status())
        .isEqualTo(204);
    assertThat(nativeView(id).path("ttlSeconds").asLong())
        .as("setTimeout may shorten the lifetime")
        .isBetween(30L, 100L);
    assertInvalid(e2b("POST", "/sandboxes/" + id + "/timeout", "{}"), "timeout");
    assertInvalid(e2b("POST", "/sandboxes/" + id + "/timeout", "{\"timeout\": 0}"), "timeout");

    assertThat(e2b("DELETE", "/sandboxes/" + id, null).status()).isEqualTo(204);
    assertThat(nativeView(id).path("state").asString()).isEqualTo("destroyed");
    assertThat(e2b("DELETE", "/sandboxes/" + id, null).status()).isEqualTo(404);
    assertThat(e2b("GET", "/sandboxes/" + id, null).status()).isEqualTo(404);
  }
}
