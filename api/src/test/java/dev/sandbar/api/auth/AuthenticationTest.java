package dev.sandbar.api.auth;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import org.junit.jupiter.api.Test;

class AuthenticationTest extends ApiIntegrationTest {

  @Test
  void requestWithoutKeyIsUnauthorized() {
    Response response = get("/v1/sandboxes", null);

    assertProblem(response, 401, "unauthorized");
    assertThat(response.headers().firstValue("WWW-Authenticate")).hasValue("Bearer");
  }

  @Test
  void unknownKeyIsUnauthorized() {
    assertProblem(get("/v1/sandboxes", "sbk_not-a-key"), 401, "unauthorized");
    assertProblem(
        send("GET", "/v1/sandboxes", null, null, java.util.Map.of("Authorization", "Basic eDp5")),
        401,
        "unauthorized");
  }

  @Test
  void keyIssuedByAdminWorksUntilRevoked() {
    Response tenant = post("/v1/admin/tenants", ADMIN_KEY, "{\"name\": \"Acme\"}");
    assertThat(tenant.status()).as(tenant.body()).isEqualTo(201);
    String tenantId = tenant.json().path("id").asString();
    assertThat(tenant.json().path("name").asString()).isEqualTo("Acme");

    Response issued = post("/v1/admin/tenants/" + tenantId + "/keys", ADMIN_KEY, null);
    assertThat(issued.status()).as(issued.body()).isEqualTo(201);
    String key = issued.json().path("key").asString();
    String keyId = issued.json().path("id").asString();
    assertThat(key).startsWith("sbk_").hasSizeGreaterThanOrEqualTo(4 + 43);
    assertThat(issued.json().path("tenantId").asString()).isEqualTo(tenantId);
    assertThat(key).startsWith(issued.json().path("prefix").asString());
    assertThat(issued.json().path("createdAt").asString()).isNotBlank();
    String storedHash =
        jdbi.withHandle(
            h ->
                h.createQuery("select key_hash from api_keys where id = :id")
                    .bind("id", keyId)
                    .mapTo(String.class)
                    .one());
    assertThat(storedHash).isEqualTo(ApiKeyService.hash(key)).doesNotContain(key);

    Response list = get("/v1/sandboxes", key);
    assertThat(list.status()).as(list.body()).isEqualTo(200);
    assertThat(list.json().path("items").isArray()).isTrue();

    assertThat(delete("/v1/admin/keys/" + keyId, ADMIN_KEY).status()).isEqualTo(204);
    assertProblem(get("/v1/sandboxes", key), 401, "unauthorized");
    assertThat(delete("/v1/admin/keys/" + keyId, ADMIN_KEY).status())
        .as("revoking twice is a no-op")
        .isEqualTo(204);
  }

  @Test
  void tenantKeyCannotUseAdminEndpoints() {
    assertProblem(post("/v1/admin/tenants", tenant.key(), "{\"name\": \"x\"}"), 403, "forbidden");
    assertProblem(delete("/v1/admin/keys/whatever", tenant.key()), 403, "forbidden");
    assertProblem(post("/v1/admin/tenants", null, "{\"name\": \"x\"}"), 401, "unauthorized");
  }

  @Test
  void adminKeyOwnsNoSandboxes() {
    assertProblem(get("/v1/sandboxes", ADMIN_KEY), 403, "forbidden");
  }

  @Test
  void tenantIdsAreUnique() {
    String body = "{\"id\": \"dup-tenant-" + System.nanoTime() + "\", \"name\": \"One\"}";
    assertThat(post("/v1/admin/tenants", ADMIN_KEY, body).status()).isEqualTo(201);

    assertProblem(post("/v1/admin/tenants", ADMIN_KEY, body), 409, "conflict");
  }

  @Test
  void tenantNeedsAName() {
    Response response = post("/v1/admin/tenants", ADMIN_KEY, "{\"id\": \"no-name\"}");

    assertProblem(response, 400, "validation");
    assertThat(response.invalidFields()).containsExactly("name");
  }

  @Test
  void keysForUnknownTenantAreNotFound() {
    assertProblem(post("/v1/admin/tenants/no-such-tenant/keys", ADMIN_KEY, null), 404, "not-found");
  }

  @Test
  void bootstrapKeyRegistrationIsIdempotent() {
    apiKeys.ensureTenant(tenant.id(), "renamed");
    apiKeys.ensureKey(tenant.id(), tenant.key());

    assertThat(get("/v1/sandboxes", tenant.key()).status()).isEqualTo(200);
    int keys =
        jdbi.withHandle(
            h ->
                h.createQuery("select count(*) from api_keys where tenant_id = :t")
                    .bind("t", tenant.id())
                    .mapTo(Integer.class)
                    .one());
    assertThat(keys).isEqualTo(1);
  }
}
