package dev.sandbar.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiApplication;
import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.TemporalTestConfiguration;
import dev.sandbar.api.testing.ApiClient.Response;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.SpringBootTest;

/** Without an admin key the admin API is off for everyone, the would-be admin key included. */
@SpringBootTest(
    classes = {ApiApplication.class, TemporalTestConfiguration.class},
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = "sandbar.admin-key=")
class AdminDisabledTest extends ApiIntegrationTest {

  @Test
  void adminEndpointsAnswerForbidden() {
    Response response = post("/v1/admin/tenants", ADMIN_KEY, "{\"name\": \"x\"}");

    assertProblem(response, 403, "forbidden");
    assertThat(response.json().path("detail").asString()).contains("SANDBAR_ADMIN_KEY");
    assertProblem(post("/v1/admin/tenants", null, "{\"name\": \"x\"}"), 403, "forbidden");
    assertProblem(post("/v1/hosts/any/drain", newTenant().key(), null), 404, "not-found");
  }

  @Test
  void formerAdminKeyIsJustAnUnknownKey() {
    assertProblem(get("/v1/hosts", ADMIN_KEY), 401, "unauthorized");
  }
}
