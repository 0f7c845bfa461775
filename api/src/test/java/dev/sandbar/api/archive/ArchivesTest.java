package dev.sandbar.api.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Reading and deleting archives, and choosing one to create a sandbox from. The rows are written
 * here as a sandbox workflow's store would write them.
 */
class ArchivesTest extends ApiIntegrationTest {

  private static final String SHA = "ab".repeat(32);

  private String sandbox;

  @BeforeEach
  void setUp() {
    sandbox = insertSandbox(tenant.id(), "destroyed", Instant.now(), Map.of());
    ensureBaseImageHost();
  }

  @Test
  void archivesAreListedNewestFirstAndPaged() {
    Instant now = Instant.now();
    String oldest =
        insertArchive(tenant.id(), sandbox, "ready", now.minus(3, ChronoUnit.HOURS), SHA);
    String middle =
        insertArchive(tenant.id(), sandbox, "quarantined", now.minus(2, ChronoUnit.HOURS), SHA);
    String newest =
        insertArchive(tenant.id(), sandbox, "ready", now.minus(1, ChronoUnit.HOURS), SHA);
    insertArchive(tenant.id(), sandbox, "deleted", now, SHA);
    insertArchive(newTenant().id(), sandbox, "ready", now, SHA);

    Response all = get("/v1/archives", tenant.key());
    assertThat(ids(all)).containsExactly(newest, middle, oldest);
    assertThat(all.json().path("nextCursor").isNull()).isTrue();

    Response first = get("/v1/archives?limit=2", tenant.key());
    assertThat(ids(first)).containsExactly(newest, middle);
    String cursor = first.json().path("nextCursor").asString();
    assertThat(ids(get("/v1/archives?limit=2&cursor=" + cursor, tenant.key())))
        .containsExactly(oldest);
    assertProblem(get("/v1/archives?limit=0", tenant.key()), 400, "validation");
    assertProblem(get("/v1/archives?cursor=bogus", tenant.key()), 400, "validation");
  }

  @Test
  void archiveIsReadAsItsTenantSeesIt() {
    Instant createdAt = Instant.parse("2025-01-02T03:04:05.123456Z");
    String id = insertArchive(tenant.id(), sandbox, "ready", createdAt, SHA);

    Response response = get("/v1/archives/" + id, tenant.key());

    assertThat(response.status()).as(response.body()).isEqualTo(200);
    JsonNode archive = response.json();
    assertThat(archive.path("id").asString()).isEqualTo(id);
    assertThat(archive.path("sandboxId").asString()).isEqualTo(sandbox);
    assertThat(archive.path("hostId").asString()).isEqualTo("base-host");
    assertThat(archive.path("sizeBytes").asLong()).isEqualTo(4096);
    assertThat(archive.path("sha256").asString()).isEqualTo(SHA);
    assertThat(Instant.parse(archive.path("createdAt").asString())).isEqualTo(createdAt);
    assertThat(archive.path("status").asString()).isEqualTo("ready");
  }

  @Test
  void deletedArchiveIsGoneForItsTenantAndDeletingAgainIsHarmless() {
    String id = insertArchive(tenant.id(), sandbox, "ready", Instant.now(), SHA);

    Response deleted = delete("/v1/archives/" + id, tenant.key());

    assertThat(deleted.status()).as(deleted.body()).isEqualTo(204);
    assertThat(status(id)).as("marked, the file goes in a later sweep").isEqualTo("deleted");
    assertProblem(get("/v1/archives/" + id, tenant.key()), 404, "not-found");
    assertThat(ids(get("/v1/archives", tenant.key()))).doesNotContain(id);
    assertThat(delete("/v1/archives/" + id, tenant.key()).status()).isEqualTo(204);
    assertProblem(delete("/v1/archives/ar-doesnotexist", tenant.key()), 404, "not-found");
  }

  @Test
  void anotherTenantsArchiveIsNotFound() {
    String id = insertArchive(tenant.id(), sandbox, "ready", Instant.now(), SHA);
    TestTenant stranger = newTenant();

    assertProblem(get("/v1/archives/" + id, stranger.key()), 404, "not-found");
    assertProblem(delete("/v1/archives/" + id, stranger.key()), 404, "not-found");
    assertThat(ids(get("/v1/archives", stranger.key()))).isEmpty();
    assertThat(status(id)).isEqualTo("ready");
  }

  @Test
  void restoreFromAnotherTenantsArchiveIsRejectedWithoutWritingARow() {
    TestTenant owner = newTenant();
    String theirs = insertArchive(owner.id(), sandbox, "ready", Instant.now(), SHA);

    Response response =
        post("/v1/sandboxes", tenant.key(), "{\"restoreFrom\": \"" + theirs + "\"}");

    assertProblem(response, 400, "validation");
    assertThat(response.invalidFields()).containsExactly("restoreFrom");
    assertThat(response.json().path("detail").asString())
        .isEqualTo("restoreFrom: archive " + theirs + " not found");
    assertThat(sandboxRows(tenant.id())).as("only the archived one").isEqualTo(1);
  }

  @Test
  void restoreFromAnArchiveThatIsNotReadyIsRejected() {
    String deleted = insertArchive(tenant.id(), sandbox, "deleted", Instant.now(), SHA);
    String quarantined = insertArchive(tenant.id(), sandbox, "quarantined", Instant.now(), SHA);

    for (String id : List.of(deleted, quarantined, "ar-doesnotexist", "")) {
      Response response = post("/v1/sandboxes", tenant.key(), "{\"restoreFrom\": \"" + id + "\"}");
      assertProblem(response, 400, "validation");
      assertThat(response.invalidFields()).containsExactly("restoreFrom");
    }
    Response quarantinedAnswer =
        post("/v1/sandboxes", tenant.key(), "{\"restoreFrom\": \"" + quarantined + "\"}");
    assertThat(quarantinedAnswer.json().path("detail").asString())
        .isEqualTo(
            "restoreFrom: archive " + quarantined + " is quarantined and cannot be restored");
    assertThat(sandboxRows(tenant.id())).as("only the archived one").isEqualTo(1);
  }

  @Test
  void restoreFromAReadyArchiveReachesTheSandboxSpec() {
    String id = insertArchive(tenant.id(), sandbox, "ready", Instant.now(), SHA);

    Response created = post("/v1/sandboxes", tenant.key(), "{\"restoreFrom\": \"" + id + "\"}");

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String stored =
        queryOne(
            "select spec ->> 'restoreFrom' from sandboxes where id = :id",
            created.json().path("id").asString(),
            String.class);
    assertThat(stored).isEqualTo(id);
  }

  private String status(String archiveId) {
    return queryOne("select status from archives where id = :id", archiveId, String.class);
  }

  private static List<String> ids(Response response) {
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.itemValues("id");
  }
}
