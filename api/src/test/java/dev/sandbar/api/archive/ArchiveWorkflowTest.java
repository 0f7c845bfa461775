package dev.sandbar.api.archive;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.WorkflowIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.api.testworker.InMemoryArchiveActivities;
import dev.sandbar.api.testworker.TestWorker;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import tools.jackson.databind.JsonNode;

/**
 * Archives made and restored by the real sandbox workflow, over an in-memory archive store that a
 * test can make fail.
 */
class ArchiveWorkflowTest extends WorkflowIntegrationTest {

  @Autowired InMemoryArchiveActivities archiveStore;

  private String sandbox;

  @BeforeEach
  void setUp() {
    sandbox = runningSandbox(tenant);
  }

  @Test
  void snapshotArchivesTheDataAndLeavesTheSandboxRunning() {
    Response created = post("/v1/sandboxes/" + sandbox + "/archives", tenant.key(), null);

    assertThat(created.status()).as(created.body()).isEqualTo(201);
    JsonNode archive = created.json();
    String id = archive.path("id").asString();
    assertThat(created.headers().firstValue("Location")).hasValue("/v1/archives/" + id);
    assertThat(archive.path("sandboxId").asString()).isEqualTo(sandbox);
    assertThat(archive.path("hostId").asString()).isEqualTo(TestWorker.HOST_ID);
    assertThat(archive.path("sizeBytes").asLong())
        .isEqualTo(InMemoryArchiveActivities.ARCHIVE_SIZE);
    assertThat(archive.path("sha256").asString()).isEqualTo(InMemoryArchiveActivities.sha256(id));
    assertThat(archive.path("status").asString()).isEqualTo("ready");
    assertThat(archive.path("createdAt").asString()).isNotBlank();
    assertThat(sandboxState()).isEqualTo("running");
    assertThat(get("/v1/archives/" + id, tenant.key()).json()).isEqualTo(archive);
  }

  @Test
  void destroyPreservingDataAnswersWithTheArchive() {
    Response destroyed = delete("/v1/sandboxes/" + sandbox + "?preserveData=true", tenant.key());

    assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
    assertThat(destroyed.json().path("state").asString()).isEqualTo("destroyed");
    String archiveId = destroyed.json().path("archiveId").asString();
    assertThat(archiveId).startsWith("ar-");
    assertThat(get("/v1/archives/" + archiveId, tenant.key()).json().path("status").asString())
        .isEqualTo("ready");
    assertThat(get("/v1/sandboxes/" + sandbox, tenant.key()).json().path("archiveId").asString())
        .isEqualTo(archiveId);
  }

  @Test
  void destroyWithoutPreservingDataWritesNoArchive() {
    Response destroyed = delete("/v1/sandboxes/" + sandbox, tenant.key());

    assertThat(destroyed.json().path("state").asString()).isEqualTo("destroyed");
    assertThat(destroyed.json().path("archiveId").isNull()).isTrue();
    assertThat(get("/v1/archives", tenant.key()).json().path("items").isEmpty()).isTrue();
  }

  @Test
  void failedExportAbortsTheDestroyAndLeavesTheSandboxAsItWas() {
    archiveStore.failExportsOf(sandbox);

    Response response = delete("/v1/sandboxes/" + sandbox + "?preserveData=true", tenant.key());

    assertProblem(response, 500, "export-failed");
    assertThat(response.json().path("detail").asString())
        .isEqualTo(
            "destroy aborted, the sandbox is unchanged: export failed: the archive store is full");
    assertThat(sandboxState()).isEqualTo("running");
    assertThat(get("/v1/archives", tenant.key()).json().path("items").isEmpty()).isTrue();
    assertProblem(
        post("/v1/sandboxes/" + sandbox + "/archives", tenant.key(), null), 500, "export-failed");
  }

  @Test
  void sandboxIsCreatedFromItsTenantsArchive() {
    String archiveId =
        post("/v1/sandboxes/" + sandbox + "/archives", tenant.key(), null)
            .json()
            .path("id")
            .asString();

    Response restored =
        post(
            "/v1/sandboxes",
            tenant.key(),
            "{\"wait\": true, \"restoreFrom\": \"" + archiveId + "\"}");

    assertThat(restored.status()).as(restored.body()).isEqualTo(201);
    assertThat(restored.json().path("state").asString()).isEqualTo("running");
  }

  @Test
  void restoreOfACorruptArchiveAnswersCreateFailedWithTheSandboxId() {
    // The row's checksum disagrees with the stored file, as after bit rot.
    String archiveId =
        post("/v1/sandboxes/" + sandbox + "/archives", tenant.key(), null)
            .json()
            .path("id")
            .asString();
    jdbi.useHandle(
        handle ->
            handle.execute(
                "update archives set sha256 = ? where id = ?", "00".repeat(32), archiveId));

    Response response =
        post(
            "/v1/sandboxes",
            tenant.key(),
            "{\"wait\": true, \"restoreFrom\": \"" + archiveId + "\"}");

    assertProblem(response, 422, "create-failed");
    String failedId = response.json().path("sandboxId").asString();
    assertThat(failedId).startsWith("sb-").isNotEqualTo(sandbox);
    assertThat(response.json().path("detail").asString())
        .startsWith("sandbox " + failedId + " could not be created: restore failed: ")
        .contains("does not match its recorded size and checksum");
    // Polled: the workflow answers before its failed restore's transition is written (it returns
    // early from create without flushing its writes).
    assertThat(awaitState(failedId, "error")).isEqualTo("error");
  }

  @Test
  void destroyedSandboxCannotBeArchived() {
    delete("/v1/sandboxes/" + sandbox, tenant.key());

    assertProblem(
        post("/v1/sandboxes/" + sandbox + "/archives", tenant.key(), null), 409, "invalid-state");
  }

  @Test
  void anotherTenantCannotArchiveTheSandbox() {
    assertProblem(
        post("/v1/sandboxes/" + sandbox + "/archives", newTenant().key(), null), 404, "not-found");
    assertThat(get("/v1/archives", tenant.key()).json().path("items").isEmpty()).isTrue();
  }

  private String awaitState(String id, String expected) {
    return poll(
        Duration.ofSeconds(10),
        Duration.ofMillis(50),
        () -> get("/v1/sandboxes/" + id, tenant.key()).json().path("state").asString(),
        expected::equals);
  }

  private String sandboxState() {
    return get("/v1/sandboxes/" + sandbox, tenant.key()).json().path("state").asString();
  }
}
