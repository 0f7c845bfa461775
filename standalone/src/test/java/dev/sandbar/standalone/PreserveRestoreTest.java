package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.testing.ApiClient.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Value;
import tools.jackson.databind.JsonNode;

class PreserveRestoreTest extends EndToEndTest {

  /** Lists every path under /data with type, mode, owner, size, link target and content hash. */
  static final String FINGERPRINT =
      "cd /data && find . | sort | while read p; do "
          + "printf '%s %s ' \"$p\" \"$(stat -c '%F %a %u:%g %s' \"$p\")\"; "
          + "if [ -L \"$p\" ]; then readlink \"$p\"; "
          + "elif [ -f \"$p\" ]; then md5sum < \"$p\"; else echo; fi; done";

  static final String WRITE_DATA =
      "mkdir -p /data/src/empty /data/secret && chmod 750 /data/src && "
          + "echo 'print(1)' > /data/src/main.py && printf 'k' > /data/secret/key && "
          + "chmod 600 /data/secret/key && ln -s src/main.py /data/link && "
          + "chown 1000:1000 /data/src/main.py && head -c 100000 /dev/urandom > /data/blob";

  @Value("${sandbar.data-dir}")
  Path dataDir;

  @Test
  void preservedDataIsRestoredIdenticallyIntoANewSandbox() {
    String original = api.createRunning("{\"wait\": true}").get("id").asString();
    Shell.run(docker, "sandbar-" + original, WRITE_DATA);
    String before = Shell.run(docker, "sandbar-" + original, FINGERPRINT);

    Response destroyed =
        api.call("DELETE", "/v1/sandboxes/" + original + "?preserveData=true", null);
    assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
    assertThat(destroyed.json().get("state").asString()).isEqualTo("destroyed");
    String archiveId = destroyed.json().get("archiveId").asString();
    assertThat(archiveId).isNotBlank();

    JsonNode archive = api.call("GET", "/v1/archives/" + archiveId, null).json();
    assertThat(archive.get("sha256").asString()).hasSize(64);
    assertThat(archive.get("sizeBytes").asLong()).isPositive();

    String restored =
        api.createRunning("{\"wait\": true, \"restoreFrom\": \"" + archiveId + "\"}")
            .get("id")
            .asString();
    assertThat(Shell.run(docker, "sandbar-" + restored, FINGERPRINT)).isEqualTo(before);
    api.call("DELETE", "/v1/sandboxes/" + restored, null);
  }

  @Test
  void restoresIntoADifferentImage() {
    String original = api.createRunning("{\"wait\": true}").get("id").asString();
    Shell.run(docker, "sandbar-" + original, WRITE_DATA + " && echo alt > /marker");
    String before = Shell.run(docker, "sandbar-" + original, FINGERPRINT);
    // A second image: the first sandbox's root filesystem, committed (it carries /marker).
    docker.commitCmd("sandbar-" + original).withRepository("sandbar-alt").withTag("e2e").exec();
    String archiveId =
        api.call("DELETE", "/v1/sandboxes/" + original + "?preserveData=true", null)
            .json()
            .get("archiveId")
            .asString();

    String body =
        "{\"wait\": true, \"image\": \"sandbar-alt:e2e\", \"restoreFrom\": \"" + archiveId + "\"}";
    Response created = createOnceTheImageIsKnown(body);
    String restored = created.json().get("id").asString();
    assertThat(created.json().get("state").asString()).isEqualTo("running");
    assertThat(Shell.run(docker, "sandbar-" + restored, "cat /marker")).isEqualTo("alt\n");
    assertThat(Shell.run(docker, "sandbar-" + restored, FINGERPRINT)).isEqualTo(before);
    api.call("DELETE", "/v1/sandboxes/" + restored, null);
    docker.removeImageCmd("sandbar-alt:e2e").withForce(true).exec();
  }

  @Test
  void failedExportAbortsTheDestroyAndKeepsStateAndData() throws Exception {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    Shell.run(docker, "sandbar-" + id, "echo precious > /data/file");
    api.operate(id, "pause");

    Path archives = dataDir.resolve("archives");
    Path aside = dataDir.resolve("archives-aside");
    Files.createDirectories(archives);
    Files.move(archives, aside);
    Files.writeString(archives, "not a directory: the archive store cannot be written");
    Response refused;
    try {
      refused = api.call("DELETE", "/v1/sandboxes/" + id + "?preserveData=true", null);
    } finally {
      Files.delete(archives);
      Files.move(aside, archives);
    }

    assertThat(refused.status()).as(refused.body()).isEqualTo(500);
    assertThat(refused.contentType()).startsWith("application/problem+json");
    JsonNode sandbox = api.get(id);
    assertThat(sandbox.get("state").asString()).isEqualTo("paused");
    assertThat(docker.inspectContainerCmd("sandbar-" + id).exec().getState().getPaused()).isTrue();
    api.operate(id, "resume");
    assertThat(Shell.run(docker, "sandbar-" + id, "cat /data/file")).isEqualTo("precious\n");
    JsonNode events = api.call("GET", "/v1/sandboxes/" + id + "/events", null).json();
    assertThat(events.get("items").valueStream())
        .anySatisfy(
            e -> {
              assertThat(e.get("outcome").asString()).isEqualTo("failed");
              assertThat(e.get("error").asString()).contains("export failed");
            });
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void snapshotArchivesALiveSandboxWithoutStoppingIt() {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    Shell.run(docker, "sandbar-" + id, "echo snap > /data/s");
    Response snapshot = api.call("POST", "/v1/sandboxes/" + id + "/archives", null);
    assertThat(snapshot.status()).as(snapshot.body()).isEqualTo(201);
    assertThat(api.get(id).get("state").asString()).isEqualTo("running");

    String archiveId = snapshot.json().get("id").asString();
    String copy =
        api.createRunning("{\"wait\": true, \"restoreFrom\": \"" + archiveId + "\"}")
            .get("id")
            .asString();
    assertThat(Shell.run(docker, "sandbar-" + copy, "cat /data/s")).isEqualTo("snap\n");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
    api.call("DELETE", "/v1/sandboxes/" + copy, null);
  }

  private Response createOnceTheImageIsKnown(String body) {
    // The worker reports its images with each heartbeat; until then the API rightly says 400.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    Response response;
    do {
      response = api.call("POST", "/v1/sandboxes", SandbarTestSupport.API_KEY, body, Map.of());
      if (response.status() != 400) {
        break;
      }
      SandbarTestSupport.sleep(1000);
    } while (System.nanoTime() < deadline);
    assertThat(response.status()).as(response.body()).isEqualTo(201);
    return response;
  }
}
