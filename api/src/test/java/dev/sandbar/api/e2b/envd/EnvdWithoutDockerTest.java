package dev.sandbar.api.e2b.envd;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.e2b.SandboxAccessTokens;
import dev.sandbar.api.testing.ApiClient.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;

/**
 * E2B's in-sandbox protocol in an API process without a Docker client (a split deployment): the
 * token is checked first, file calls then answer {@code unimplemented} as the native files API
 * answers 501, and the protocol stays out of Sandbar's OpenAPI document.
 */
class EnvdWithoutDockerTest extends ApiIntegrationTest {

  @Autowired SandboxAccessTokens tokens;

  @Test
  void fileCallsAnswerUnimplementedOnceTheTokenIsChecked() {
    String sandbox = insertRunningSandbox(tenant.id());
    Map<String, String> headers =
        Map.of("E2b-Sandbox-Id", sandbox, "X-Access-Token", tokens.tokenFor(tenant.id(), sandbox));

    Response stat =
        send(
            "POST",
            "/e2b/sandbox/filesystem.Filesystem/Stat",
            null,
            "{\"path\": \"/data\"}",
            headers);
    assertThat(stat.status()).as(stat.body()).isEqualTo(501);
    assertThat(stat.json().get("code").asString()).isEqualTo("unimplemented");
    assertThat(stat.json().get("message").asString()).contains("base-host");

    Response download = send("GET", "/e2b/sandbox/files?path=/data/x", null, null, headers);
    assertThat(download.status()).as(download.body()).isEqualTo(501);
    assertThat(download.json().get("code").asInt()).isEqualTo(501);

    Response stranger =
        send(
            "POST",
            "/e2b/sandbox/filesystem.Filesystem/Stat",
            null,
            "{\"path\": \"/data\"}",
            Map.of(
                "E2b-Sandbox-Id",
                sandbox,
                "X-Access-Token",
                tokens.tokenFor(newTenant().id(), sandbox)));
    assertThat(stranger.status()).isEqualTo(401);
    assertThat(stranger.json().get("code").asString()).isEqualTo("unauthenticated");
  }

  @Test
  void theProtocolIsNotInSandbarsDocument() {
    assertThat(get("/v3/api-docs", null).json().path("paths").propertyNames())
        .noneMatch(path -> path.startsWith("/e2b/sandbox"));
  }
}
