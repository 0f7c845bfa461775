package dev.sandbar.api.files;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * The files API in an API process without a Docker client (a split deployment): it still checks
 * what it can, then says plainly that it does not serve the transfer. Its endpoints, and the
 * streaming ones, are in the served document.
 */
class FilesWithoutDockerTest extends ApiIntegrationTest {

  @Test
  void anApiWithoutDockerAnswersNotImplementedAfterItsOwnChecks() {
    String sandbox = insertRunningSandbox(tenant.id());

    Response list = get("/v1/sandboxes/" + sandbox + "/files/list?path=/data", tenant.key());
    assertProblem(list, 501, "not-implemented");
    assertThat(list.json().get("detail").asString()).contains("base-host");

    assertInvalid(get("/v1/sandboxes/" + sandbox + "/files?path=/data/../x", tenant.key()), "path");
    assertProblem(
        get("/v1/sandboxes/sb-unknown/files/list?path=/data", tenant.key()), 404, "not-found");
    assertProblem(
        get("/v1/sandboxes/" + sandbox + "/files/list?path=/data", newTenant().key()),
        404,
        "not-found");
  }

  @Test
  void filesStdinAndStreamsAreDocumented() {
    JsonNode paths = get("/v3/api-docs", null).json().path("paths");

    assertThat(paths.has("/v1/sandboxes/{id}/files")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/files/list")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/files/mkdir")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/tasks/{taskId}/stdin")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/tasks/{taskId}/stdin/close")).isTrue();
    assertThat(paths.path("/v1/sandboxes/{id}/exec").path("post").toString())
        .as("the streamed variant is described on the JSON operation")
        .contains("text/event-stream");
  }
}
