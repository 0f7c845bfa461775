package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The cases of the robustness issue, end to end against real Docker: NUL in an exec's description
 * once answered 202 after 10 s and left a workflow retrying its row write forever; an encoded slash
 * in a sandbox id got Tomcat's HTML page; NUL in a drain's query gave a 500.
 */
class EdgeInputEndToEndTest extends EndToEndTest {

  @Test
  void badTextInAnExecIsA400AndTheSandboxStaysUsable() {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();

    for (String body :
        new String[] {
          "{\"command\": \"true\", \"background\": true, \"description\": \"a\\u0000b\"}",
          "{\"command\": \"true\", \"env\": {\"A\\u0000\": \"x\"}}",
          "{\"command\": \"true\", \"cwd\": \"/tmp\\ud800\"}"
        }) {
      Response refused = api.exec(id, body, 400);
      assertThat(refused.contentType()).startsWith("application/problem+json");
      assertThat(refused.invalidFields()).isNotEmpty();
    }
    assertThat(api.call("GET", "/v1/sandboxes/" + id + "/tasks", null).items()).isEmpty();

    Response ran = api.exec(id, "{\"command\": \"echo ok\"}", 200);
    assertThat(ran.json().path("exitCode").asInt()).isZero();
    assertThat(api.operate(id, "pause").get("state").asString()).isEqualTo("paused");

    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void anEncodedSlashInAnIdIsAProblemNotAnHtmlPage() {
    Response response = api.call("GET", "/v1/sandboxes/..%2F..%2Fetc", null);

    assertThat(response.status()).isBetween(400, 499);
    assertThat(response.contentType()).startsWith("application/problem+json");
    assertThat(response.body()).doesNotContain("<html");
  }

  @Test
  void nulInADrainQueryIsA400() {
    Response response =
        api.call(
            "POST",
            "/v1/sandboxes/sb-any/notifications/drain?sessionId=a%00b",
            SandbarTestSupport.API_KEY,
            null,
            Map.of());

    assertThat(response.status()).as(response.body()).isEqualTo(400);
    assertThat(response.contentType()).startsWith("application/problem+json");
  }
}
