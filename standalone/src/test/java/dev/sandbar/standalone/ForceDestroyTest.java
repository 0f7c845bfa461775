package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.api.testing.ApiClient.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * A sandbox stuck in a transient state (its stop's last database write refused for ever, by a
 * trigger) is listed as stuck and force-destroyed by the admin: container and volume gone on the
 * real Docker daemon, audited as the admin's.
 *
 * <p>A system of its own: the shared end-to-end system's worker is stopped and restarted in-process
 * by other tests, and the embedded test server may hand a task to a poll of the stopped worker,
 * where it waits out its timeout; a force destroy waits for the abandoned step's activity to end.
 */
@ExtendWith(DockerDaemonExtension.class)
class ForceDestroyTest {

  @RegisterExtension final StandaloneSystem system = new StandaloneSystem();

  private final DockerClient docker;
  private SandbarTestSupport api;
  private Jdbi jdbi;

  ForceDestroyTest(DockerClient docker) {
    this.docker = docker;
  }

  @BeforeEach
  void start() throws IOException {
    Path dataDir = Files.createTempDirectory("sandbar-force-");
    api = system.start(dataDir, "force-" + dataDir.getFileName());
    jdbi = system.bean(Jdbi.class);
  }

  @Test
  void aSandboxStuckStoppingIsForceDestroyed() throws Exception {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    String volume = DataVolume.of(docker, id);
    String trigger = "refuse_" + id.replace('-', '_');
    refuseStoppedRows(trigger, id);
    try {
      CompletableFuture<Response> stop =
          CompletableFuture.supplyAsync(
              () -> api.call("POST", "/v1/sandboxes/" + id + "/stop", null));
      api.awaitSandbox(
          id, s -> s.get("state").asString().equals("stopping"), Duration.ofMinutes(1));
      JsonNode stuck = awaitStuck("sandbox-" + id);
      assertThat(stuck.path("pendingActivity").path("activityType").asString())
          .isEqualTo("RecordTransition");
      assertThat(stuck.path("pendingActivity").path("lastFailure").asString())
          .contains("refused by the test");

      Response refused =
          api.call(
              "DELETE",
              "/v1/sandboxes/" + id + "?force=true",
              SandbarTestSupport.API_KEY,
              null,
              Map.of());
      assertThat(refused.status()).isEqualTo(403);
      assertThat(refused.contentType()).startsWith("application/problem+json");

      Response forced =
          api.call(
              "DELETE",
              "/v1/sandboxes/" + id + "?force=true",
              SandbarTestSupport.ADMIN_KEY,
              null,
              Map.of());

      assertThat(forced.status()).as(forced.body()).isEqualTo(200);
      assertThat(forced.json().get("state").asString()).isEqualTo("destroyed");
      assertThat(api.get(id).get("state").asString()).isEqualTo("destroyed");
      assertThat(DockerDaemonExtension.containersOf(docker, id)).isEmpty();
      assertThat(volumeExists(volume)).isFalse();
      assertThat(stop.get(60, TimeUnit.SECONDS).status()).isEqualTo(409);
      List<JsonNode> events =
          api.call("GET", "/v1/sandboxes/" + id + "/events", null)
              .json()
              .get("items")
              .valueStream()
              .toList();
      JsonNode last = events.getLast();
      assertThat(last.get("toState").asString()).isEqualTo("destroyed");
      assertThat(last.get("actor").asString()).isEqualTo("admin");
      assertThat(last.get("reason").asString()).isEqualTo("force destroy");
    } finally {
      jdbi.useHandle(
          handle -> {
            handle.execute("drop trigger if exists " + trigger + " on audit_events");
            handle.execute("drop function if exists " + trigger + "()");
          });
    }
  }

  private void refuseStoppedRows(String trigger, String sandboxId) {
    jdbi.useHandle(
        handle -> {
          handle.execute(
              """
              create function %s() returns trigger language plpgsql as $$
              begin
                if new.sandbox_id = '%s' and lower(new.to_state) = 'stopped' then
                  raise exception 'refused by the test';
                end if;
                return new;
              end $$
              """
                  .formatted(trigger, sandboxId));
          handle.execute(
              "create trigger %s before insert on audit_events for each row execute function %s()"
                  .formatted(trigger, trigger));
        });
  }

  private JsonNode awaitStuck(String workflowId) {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      Response response =
          api.call(
              "GET",
              "/v1/operations/stuck?olderThanSeconds=0",
              SandbarTestSupport.ADMIN_KEY,
              null,
              Map.of());
      assertThat(response.status()).as(response.body()).isEqualTo(200);
      Optional<JsonNode> item =
          response
              .json()
              .get("items")
              .valueStream()
              .filter(i -> workflowId.equals(i.path("workflowId").asString()))
              .filter(i -> i.path("pendingActivity").path("attempt").asInt() >= 2)
              .findFirst();
      if (item.isPresent()) {
        return item.get();
      }
      SandbarTestSupport.sleep(300);
    }
    throw new AssertionError(workflowId + " was never listed as stuck");
  }

  private boolean volumeExists(String name) {
    try {
      return docker.inspectVolumeCmd(name).exec() != null;
    } catch (NotFoundException gone) {
      return false;
    }
  }
}
