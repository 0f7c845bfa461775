package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.workflows.model.ContainerRef;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import tools.jackson.databind.JsonNode;

/**
 * {@code bin/sandbar} as its own process, killed with SIGKILL and started again on the same data
 * directory: it comes back with no manual step, a client polling from the moment the port opens is
 * never refused its key, operations work on the first call, and a command that ran across the crash
 * completes exactly once.
 */
@ExtendWith(DockerDaemonExtension.class)
class CrashRestartTest {

  private static final Duration START_BOUND = Duration.ofMinutes(3);

  private final DockerClient docker;

  CrashRestartTest(DockerClient docker) {
    this.docker = docker;
  }

  @Test
  void aKilledStandaloneProcessStartsAgainAndItsCommandCompletesExactlyOnce() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-crash-");
    String hostId = "crash-" + dataDir.getFileName();
    StandaloneProcess first = StandaloneProcess.start(dataDir, hostId);
    StandaloneProcess second = null;
    List<String> created = new CopyOnWriteArrayList<>();
    try {
      Startup firstStart = watchStartup(first);
      SandbarTestSupport api = first.client();
      String running = api.createRunning("{\"wait\": true}").get("id").asString();
      String paused = api.createRunning("{\"wait\": true}").get("id").asString();
      String busy = api.createRunning("{\"wait\": true}").get("id").asString();
      created.addAll(List.of(running, paused, busy));
      api.operate(paused, "pause");
      String command = "echo start >> /data/runs; sleep 12; echo end >> /data/runs; exit 3";
      String taskId =
          api.exec(running, "{\"command\": \"" + command + "\", \"background\": true}", 202)
              .json()
              .get("taskId")
              .asString();
      awaitFile(running, "start\n");
      String endless =
          api.exec(busy, "{\"command\": \"sleep 600\", \"background\": true}", 202)
              .json()
              .get("taskId")
              .asString();

      first.kill();
      awaitNoPostgres(dataDir);

      second = StandaloneProcess.start(dataDir, hostId);
      Startup secondStart = watchStartup(second);
      api = second.client();

      // The first operation after the restart succeeds, no retry.
      Response resumed = api.call("POST", "/v1/sandboxes/" + paused + "/resume", null);
      assertThat(resumed.status()).as(resumed.body()).isEqualTo(200);
      assertThat(resumed.json().get("state").asString()).isEqualTo("running");

      JsonNode task = awaitTask(api, running, taskId);
      assertThat(task.get("status").asString()).isEqualTo("failed");
      assertThat(task.get("exitCode").asInt()).isEqualTo(3);
      assertThat(Shell.run(docker, "sandbar-" + running, "cat /data/runs"))
          .isEqualTo("start\nend\n");

      for (Startup startup : List.of(firstStart, secondStart)) {
        assertThat(startup.keyStatuses()).as("the key is never refused").containsOnly(200);
        assertThat(startup.healthStates()).isSubsetOf("starting", "recovering", "ready");
        assertThat(startup.healthStates()).contains("recovering", "ready");
        assertThat(startup.unreadyWithoutRetryAfter()).isZero();
      }
      String console = second.console();
      assertThat(console).contains("[sandbar] recovering the sandboxes").contains("is ready");
      assertThat(console).doesNotContain("database system is ready to accept connections");
      assertThat(Files.readString(EmbeddedDatabase.logFile(dataDir)))
          .contains("database system is ready to accept connections");

      // A destroy right after the restart: of a sandbox whose command ended across the crash (its
      // recovered workflow may still count it), and of one whose re-attached command still runs.
      for (String id : List.of(running, paused, busy)) {
        Response destroyed = api.call("DELETE", "/v1/sandboxes/" + id, null);
        assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
      }
      assertThat(awaitTask(api, busy, endless).get("status").asString()).isEqualTo("killed");
      assertThat(second.stop(Duration.ofMinutes(1))).isIn(0, 130, 143);
      assertThat(StandaloneProcess.postgresOf(dataDir))
          .as("no embedded PostgreSQL outlives a normal stop")
          .isEmpty();
    } finally {
      first.kill();
      if (second != null) {
        second.kill();
      }
      // What a failed run left behind goes behind Sandbar's back: its process may be dead.
      for (String id : created) {
        removeQuietly(new ContainerRef(id));
      }
      // A killed process leaves its warm pool (a graceful stop empties it).
      DataVolume.removePool(docker, hostId);
    }
  }

  /** What a client saw while the process started: health states and the key's answers. */
  record Startup(
      Set<String> healthStates, List<Integer> keyStatuses, int unreadyWithoutRetryAfter) {}

  /**
   * Polls health and an authenticated list from before the port opens until both say ready; asserts
   * nothing, records what it saw.
   */
  private static Startup watchStartup(StandaloneProcess process) throws Exception {
    Set<String> states = ConcurrentHashMap.newKeySet();
    List<Integer> keyStatuses = new CopyOnWriteArrayList<>();
    List<Response> unready = new CopyOnWriteArrayList<>();
    long deadline = System.nanoTime() + START_BOUND.toNanos();
    CompletableFuture<Void> health =
        CompletableFuture.runAsync(
            () -> {
              while (System.nanoTime() < deadline && process.isAlive()) {
                Response answer = process.tryCall("GET", "/v1/health", null);
                if (answer != null) {
                  states.add(answer.json().get("state").asString());
                  if (answer.status() == 200) {
                    return;
                  }
                  unready.add(answer);
                }
                SandbarTestSupport.sleep(10);
              }
            });
    CompletableFuture<Void> key =
        CompletableFuture.runAsync(
            () -> {
              while (System.nanoTime() < deadline && process.isAlive()) {
                Response answer =
                    process.tryCall("GET", "/v1/sandboxes", SandbarTestSupport.API_KEY);
                if (answer != null) {
                  keyStatuses.add(answer.status());
                  if (answer.status() == 200) {
                    return;
                  }
                  unready.add(answer);
                }
                SandbarTestSupport.sleep(10);
              }
            });
    CompletableFuture.allOf(health, key).get();
    assertThat(process.isAlive()).as(process.console()).isTrue();
    assertThat(states).as(process.console()).contains("ready");
    int withoutRetryAfter =
        (int) unready.stream().filter(r -> r.headers().firstValue("Retry-After").isEmpty()).count();
    return new Startup(states, keyStatuses, withoutRetryAfter);
  }

  private void awaitFile(String sandboxId, String content) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!Shell.run(docker, "sandbar-" + sandboxId, "cat /data/runs 2>/dev/null; true")
        .equals(content)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the command never started");
      }
      SandbarTestSupport.sleep(100);
    }
  }

  /** The watchdog stops the killed process's PostgreSQL. */
  private static void awaitNoPostgres(Path dataDir) {
    long deadline = System.nanoTime() + Duration.ofMinutes(1).toNanos();
    while (!StandaloneProcess.postgresOf(dataDir).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the embedded PostgreSQL outlived its killed process: "
                + StandaloneProcess.postgresOf(dataDir));
      }
      SandbarTestSupport.sleep(100);
    }
  }

  private static JsonNode awaitTask(SandbarTestSupport api, String sandboxId, String taskId) {
    String path = "/v1/sandboxes/" + sandboxId + "/tasks/" + taskId;
    long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
    JsonNode task = api.call("GET", path, null).json();
    while (task.get("status").asString().equals("running") && System.nanoTime() < deadline) {
      SandbarTestSupport.sleep(250);
      task = api.call("GET", path, null).json();
    }
    return task;
  }

  private void removeQuietly(ContainerRef ref) {
    String volume = ref.volumeName();
    try {
      volume = DataVolume.of(docker, ref.sandboxId());
      docker.removeContainerCmd(ref.containerName()).withForce(true).exec();
    } catch (NotFoundException gone) {
      // Not there: nothing to remove.
    }
    try {
      docker.removeVolumeCmd(volume).exec();
    } catch (NotFoundException gone) {
      // Not there: nothing to remove.
    }
  }
}
