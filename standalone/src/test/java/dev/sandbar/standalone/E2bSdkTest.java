package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * E2B's official SDK ({@link E2bSdk#VERSION}, unchanged) drives Sandbar's control plane under
 * {@code /e2b}: every call lands in the same sandbox workflows as the native API, which the native
 * API then confirms.
 */
class E2bSdkTest extends EndToEndTest {

  @Test
  void theOfficialSdkDrivesTheSandboxLifecycle() {
    String tag = "run-" + System.nanoTime();
    String otherKey = api.newTenantKey("e2b-other-" + System.nanoTime());
    JsonNode out;
    try {
      out =
          E2bSdk.against(port, SandbarTestSupport.API_KEY)
              .run("control.mjs", Map.of("RUN_TAG", tag, "E2B_OTHER_API_KEY", otherKey));
    } finally {
      destroyLeftovers();
    }
    System.out.println("e2b sdk answered: " + out);
    System.out.printf(
        "e2b sdk: Sandbox.create took %d ms, Sandbox.connect of a paused sandbox %d ms%n",
        out.get("createMs").asLong(), out.get("connectResumeMs").asLong());
    String id = out.get("sandboxId").asString();

    JsonNode info = out.get("info");
    assertThat(info.get("sandboxId").asString()).isEqualTo(id);
    assertThat(info.get("templateId").asString()).isEqualTo("base");
    assertThat(info.get("state").asString()).isEqualTo("running");
    assertThat(info.get("envdVersion").asString()).isEqualTo("0.5.7");
    assertThat(info.get("metadata").get("run").asString()).isEqualTo(tag);
    assertThat(info.get("cpuCount").asLong()).isPositive();
    assertThat(info.get("memoryMB").asLong()).isPositive();
    // The timeout counts from when the sandbox was ready (create answered), not requested.
    Instant startedAt = Instant.parse(info.get("startedAt").asString());
    assertThat(Instant.parse(info.get("endAt").asString()))
        .isBetween(startedAt.plusSeconds(600), startedAt.plusSeconds(600 + 120));

    // setTimeout counts from the call: the lifetime now ends 1800 s after it.
    Instant before = Instant.parse(out.get("beforeSetTimeout").asString());
    Instant endAt = Instant.parse(out.get("afterSetTimeout").get("endAt").asString());
    assertThat(endAt).isBetween(before.plusSeconds(1799), before.plusSeconds(1800 + 120));

    assertThat(out.get("secondClient").get("sandboxId").asString()).isEqualTo(id);
    assertThat(out.get("secondClient").get("info").get("state").asString()).isEqualTo("running");

    // Paging one at a time through the run's two sandboxes, newest first; the filter is exact.
    List<JsonNode> pages = out.get("listPages").valueStream().toList();
    assertThat(pages).hasSize(2).allSatisfy(page -> assertThat(page.size()).isEqualTo(1));
    assertThat(pages.get(0).get(0).get("sandboxId").asString())
        .isEqualTo(out.get("companionId").asString());
    assertThat(pages.get(1).get(0).get("sandboxId").asString()).isEqualTo(id);
    assertThat(out.get("listOfOtherRun").asInt()).isZero();

    assertThat(out.get("paused").asBoolean()).isTrue();
    assertThat(out.get("pausedAgain").get("value").asBoolean()).as("a second pause").isFalse();
    assertThat(out.get("stateWhilePaused").asString()).isEqualTo("paused");
    assertThat(out.get("listPausedOnly").valueStream().map(JsonNode::asString)).containsExactly(id);
    assertThat(out.get("stateAfterConnect").asString()).isEqualTo("running");

    JsonNode other = out.get("otherTenant");
    assertThat(other.get("getInfo").get("error").get("className").asString())
        .isEqualTo("SandboxNotFoundError");
    assertThat(other.get("connect").get("error").get("className").asString())
        .isEqualTo("SandboxNotFoundError");
    assertThat(other.get("setTimeout").get("error").get("className").asString())
        .isEqualTo("SandboxNotFoundError");
    assertThat(other.get("kill").get("value").asBoolean()).as("another tenant's kill").isFalse();
    assertThat(other.get("list").get("value").asInt()).isZero();

    for (String call : List.of("list", "create")) {
      JsonNode error = out.get("wrongKey").get(call).get("error");
      assertThat(error.get("className").asString()).as(call).isEqualTo("AuthenticationError");
      assertThat(error.get("message").asString()).as(call).contains("API key is invalid");
    }
    JsonNode unsupported = out.get("unsupported").get("error");
    assertThat(unsupported.get("message").asString())
        .contains("501")
        .contains("GET /sandboxes/" + id + "/metrics is not supported");
    assertThat(out.get("badTemplate").get("error").get("message").asString())
        .contains("400")
        .contains("no-such-image-e2b-test");

    // Metadata keys are Sandbar labels, which are lower-case; the error speaks E2B's terms.
    assertThat(out.get("upperCaseMetadata").get("error").get("message").asString())
        .startsWith("400: metadata.userId: key must be 1-63 lower-case letters");

    assertThat(out.get("killed").asBoolean()).isTrue();
    assertThat(out.get("killedAgain").asBoolean()).isFalse();
    assertThat(out.get("infoAfterKill").get("error").get("className").asString())
        .isEqualTo("SandboxNotFoundError");
    assertThat(out.get("companionKilled").asBoolean()).isTrue();

    JsonNode defaulted = out.get("defaulted");
    assertThat(Instant.parse(defaulted.get("endAt").asString()))
        .as("created without a timeout")
        .isBetween(
            Instant.parse(defaulted.get("startedAt").asString()).plusSeconds(300),
            Instant.parse(defaulted.get("startedAt").asString()).plusSeconds(300 + 120));
    // Created with a 5 s timeout: the lifetime timer destroyed it.
    JsonNode shortLived = out.get("shortLived");
    assertThat(Instant.parse(shortLived.get("endAt").asString()))
        .isBetween(
            Instant.parse(shortLived.get("startedAt").asString()).plusSeconds(5),
            Instant.parse(shortLived.get("startedAt").asString()).plusSeconds(5 + 120));
    assertThat(out.get("shortLivedAfterTimeout").get("error").get("className").asString())
        .isEqualTo("SandboxNotFoundError");
    String shortLivedId = shortLived.get("sandboxId").asString();
    assertThat(api.events(shortLivedId).getLast().get("reason").asString())
        .matches("maximum lifetime of [0-9]+s reached");

    // The native API saw the same sandbox go through the same workflow.
    JsonNode sandbox = api.get(id);
    assertThat(sandbox.get("state").asString()).isEqualTo("destroyed");
    assertThat(sandbox.get("labels").get("suite").asString()).isEqualTo("e2b-sdk");
    assertThat(sandbox.get("env").get("GREETING").asString()).isEqualTo("hello from e2b");
    assertThat(sandbox.get("idleTimeoutSeconds").asLong()).isZero();
    assertThat(api.events(id).stream().map(event -> event.get("action").asString()))
        .containsSubsequence("create", "pause", "resume", "destroy");
    assertThat(Duration.ofSeconds(sandbox.get("ttlSeconds").asLong()))
        .isGreaterThanOrEqualTo(Duration.ofSeconds(1800));
  }

  /** A script that failed half-way leaves sandboxes behind: the native API destroys them. */
  private void destroyLeftovers() {
    Response left = api.call("GET", "/v1/sandboxes?label=suite=e2b-sdk&limit=200", null);
    for (JsonNode sandbox : left.json().get("items")) {
      if (!sandbox.get("state").asString().equals("destroyed")) {
        api.call("DELETE", "/v1/sandboxes/" + sandbox.get("id").asString(), null);
      }
    }
  }
}
