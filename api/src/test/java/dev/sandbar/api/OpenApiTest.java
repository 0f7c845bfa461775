package dev.sandbar.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class OpenApiTest extends ApiIntegrationTest {

  @Test
  void servesOpenApiDocumentWithoutKey() {
    Response response = get("/v3/api-docs", null);

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode paths = response.json().path("paths");
    assertThat(paths.has("/v1/sandboxes")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/pause")).isTrue();
    assertThat(paths.has("/v1/admin/tenants")).isTrue();
    assertThat(paths.has("/v1/operations/stuck")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/exec")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/tasks/{taskId}/output")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/notifications/drain")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/archives")).isTrue();
    assertThat(paths.has("/v1/archives/{id}")).isTrue();
    assertThat(paths.has("/v1/sandboxes/{id}/metrics")).isTrue();
    assertThat(response.json().path("components").path("securitySchemes").has("bearer")).isTrue();
    assertThat(response.body())
        .as("the caller comes from the Authorization header, not a parameter")
        .doesNotContain("\"caller\"");
    JsonNode createBody =
        paths.path("/v1/sandboxes").path("post").path("requestBody").path("content");
    assertThat(createBody.toString()).contains("CreateSandboxRequest");
    assertThat(
            response
                .json()
                .path("components")
                .path("schemas")
                .path("CreateSandboxRequest")
                .path("properties")
                .has("wait"))
        .isTrue();
  }

  @Test
  void documentsRealStatusCodesNullableFieldsEnumsAndProblems() {
    JsonNode document = get("/v3/api-docs", null).json();
    JsonNode paths = document.path("paths");
    JsonNode create = paths.path("/v1/sandboxes").path("post").path("responses");
    assertThat(create.has("201")).as("create answers 201").isTrue();
    assertThat(create.has("200")).isFalse();
    assertThat(create.has("429")).isTrue();
    assertThat(paths.path("/v1/sandboxes/{id}/pause").path("post").path("responses").has("409"))
        .isTrue();
    JsonNode sandbox = document.path("components").path("schemas").path("SandboxResponse");
    assertThat(sandbox.path("properties").path("error").path("nullable").asBoolean()).isTrue();
    assertThat(sandbox.path("properties").path("hostId").path("nullable").asBoolean()).isTrue();
    assertThat(sandbox.path("properties").path("id").path("nullable").asBoolean()).isFalse();
    assertThat(sandbox.path("required").toString()).contains("\"id\"", "\"error\"");
    assertThat(
            document
                .path("components")
                .path("schemas")
                .path("CreateSandboxRequest")
                .has("required"))
        .as("a request may leave any member out")
        .isFalse();
    assertThat(sandbox.path("properties").path("state").path("enum").toString())
        .contains("\"running\"", "\"paused\"");
    paths
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        operation -> {
                          JsonNode responses = operation.getValue().path("responses");
                          assertThat(
                                  responses
                                      .path("503")
                                      .path("content")
                                      .has(
                                          path.getKey().equals("/v1/health")
                                              ? "application/json"
                                              : PROBLEM_JSON))
                              .as(operation.getKey() + " " + path.getKey())
                              .isTrue();
                        }));
    assertThat(paths.path("/v1/hosts").path("get").path("security").toString()).contains("admin");
    assertThat(document.path("components").path("securitySchemes").has("admin")).isTrue();
  }

  @Test
  void servesSwaggerUiWithoutKey() {
    Response response = get("/swagger-ui.html", null);

    assertThat(response.status()).isEqualTo(200);
    assertThat(response.body()).containsIgnoringCase("swagger");
  }

  @Test
  void unknownPathIsProblem() {
    assertProblem(get("/v1/nothing-here", newTenant().key()), 404, "not-found");
  }

  @Test
  void errorPageIsProblemToo() {
    // Where the servlet container forwards errors that happen before any controller runs.
    Response response = get("/error", null);

    assertThat(response.contentType()).as(response.body()).startsWith(PROBLEM_JSON);
    assertThat(response.json().path("type").asString()).startsWith("https://sandbar.dev/problems/");
  }

  @Test
  void wrongMethodIsProblem() {
    assertProblem(
        send("PUT", "/v1/sandboxes", newTenant().key(), "{}", java.util.Map.of()),
        405,
        "method-not-allowed");
  }
}
