package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.model.ExecInput;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowClient;
import io.temporal.common.converter.DefaultDataConverter;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Stops a whole standalone system and starts it again on the same data directory. The embedded
 * Temporal service forgets everything in between, so what comes back is rebuilt by start-up
 * recovery from PostgreSQL and Docker.
 */
@ExtendWith(DockerDaemonExtension.class)
class StandaloneRestartTest {

  /** The activities that wait on a command: started and awaited in one, or awaited alone. */
  private static final Set<String> COMMAND_WAITS = Set.of("RunCommand", "AwaitCommand");

  private final DockerClient docker;
  @RegisterExtension final StandaloneSystem system = new StandaloneSystem();

  StandaloneRestartTest(DockerClient docker) {
    this.docker = docker;
  }

  @Test
  void restartKeepsSandboxesTheirStatesTheirDataAndTheirArchives() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-restart-");
    SandbarTestSupport api = start(dataDir);

    String running = api.createRunning("{\"wait\": true}").get("id").asString();
    String paused = api.createRunning("{\"wait\": true}").get("id").asString();
    String stopped = api.createRunning("{\"wait\": true}").get("id").asString();
    for (String id : List.of(running, paused, stopped)) {
      Shell.run(docker, "sandbar-" + id, "echo " + id + " > /data/who");
    }
    api.operate(paused, "pause");
    api.operate(stopped, "stop");
    String kept = snapshot(api, running);
    String corrupt = snapshot(api, running);

    system.stop();
    flipAByte(dataDir.resolve("archives").resolve(corrupt + ".tar"));

    api = start(dataDir);

    assertThat(api.get(running).get("state").asString()).isEqualTo("running");
    assertThat(api.get(paused).get("state").asString()).isEqualTo("paused");
    assertThat(api.get(stopped).get("state").asString()).isEqualTo("stopped");
    // The recovered workflows take operations again, and the data is where it was.
    assertThat(api.operate(paused, "resume").get("state").asString()).isEqualTo("running");
    assertThat(api.operate(stopped, "start").get("state").asString()).isEqualTo("running");
    for (String id : List.of(running, paused, stopped)) {
      assertThat(Shell.run(docker, "sandbar-" + id, "cat /data/who")).isEqualTo(id + "\n");
    }
    assertThat(api.call("GET", "/v1/archives/" + kept, null).json().get("status").asString())
        .isEqualTo("ready");
    assertThat(api.call("GET", "/v1/archives/" + corrupt, null).json().get("status").asString())
        .isEqualTo("quarantined");
    assertThat(dataDir.resolve("archives").resolve("quarantine")).isDirectory();
    try (var quarantined = Files.list(dataDir.resolve("archives").resolve("quarantine"))) {
      assertThat(quarantined.map(p -> p.getFileName().toString()))
          .anySatisfy(name -> assertThat(name).contains(corrupt));
    }

    for (String id : List.of(running, paused, stopped)) {
      assertThat(api.call("DELETE", "/v1/sandboxes/" + id, null).status()).isEqualTo(200);
    }
  }

  @Test
  void aSandboxWhoseContainerVanishedWhileDownComesBackStoppedWithItsData() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-restart-");
    SandbarTestSupport api = start(dataDir);
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    Shell.run(docker, "sandbar-" + id, "echo survived > /data/file");

    system.stop();
    docker.removeContainerCmd("sandbar-" + id).withForce(true).exec();

    api = start(dataDir);
    JsonNode recovered =
        api.awaitSandbox(
            id, s -> s.get("state").asString().equals("stopped"), java.time.Duration.ofMinutes(1));
    assertThat(recovered.get("error").isNull()).isTrue();
    assertThat(api.operate(id, "start").get("state").asString()).isEqualTo("running");
    assertThat(Shell.run(docker, "sandbar-" + id, "cat /data/file")).isEqualTo("survived\n");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void aCommandRunningAcrossARestartIsReattachedRunsOnceAndReportsItsExitCode() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-restart-");
    SandbarTestSupport api = start(dataDir);
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    String command = "echo once >> /data/runs; sleep 8; exit 5";
    Response started =
        api.exec(id, "{\"command\": \"" + command + "\", \"background\": true}", 202);
    String taskId = started.json().get("taskId").asString();

    system.stop();
    api = start(dataDir);

    String path = "/v1/sandboxes/" + id + "/tasks/" + taskId;
    long deadline = System.nanoTime() + java.time.Duration.ofMinutes(1).toNanos();
    JsonNode task = api.call("GET", path, null).json();
    while (task.get("status").asString().equals("running") && System.nanoTime() < deadline) {
      SandbarTestSupport.sleep(250);
      task = api.call("GET", path, null).json();
    }
    assertThat(task.get("status").asString()).isEqualTo("failed");
    assertThat(task.get("exitCode").asInt()).isEqualTo(5);
    assertThat(Shell.run(docker, "sandbar-" + id, "cat /data/runs")).isEqualTo("once\n");
    // The workflow start-up recovery gave the command waits on the host's command-wait queue.
    assertThat(
            system
                .bean(WorkflowClient.class)
                .fetchHistory(WorkflowIds.exec(id, taskId))
                .getEvents()
                .stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
                .filter(scheduled -> COMMAND_WAITS.contains(scheduled.getActivityType().getName()))
                .map(scheduled -> scheduled.getTaskQueue().getName()))
        .isNotEmpty()
        .containsOnly(TaskQueues.commands("restart-" + dataDir.getFileName()));
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  /**
   * After a total loss of Temporal's state the command's new workflow gets what it was launched
   * with from the read model (environment, the rest of its limit, stall setting), and its sandbox's
   * new workflow counts it as running: stop kills it on request (not merely stops its container).
   */
  @Test
  void aReattachedCommandKeepsItsEnvironmentAndLimitAndIsKilledByStop() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-restart-");
    SandbarTestSupport api = start(dataDir);
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    String body =
        """
        {"command": "echo \\"$GREETING\\" > /data/env; sleep 600", "background": true,
         "timeoutSeconds": 900, "env": {"GREETING": "kept-across-restart"}}
        """;
    String taskId = api.exec(id, body, 202).json().get("taskId").asString();
    ExecInput launched = execInput(id, taskId);
    awaitFile(id, "/data/env", "kept-across-restart\n");

    system.stop();
    api = start(dataDir);

    ExecInput reattached = execInput(id, taskId);
    assertThat(reattached.request().env()).isEqualTo(Map.of("GREETING", "kept-across-restart"));
    assertThat(reattached.request().stallSeconds())
        .isEqualTo(launched.request().stallSeconds())
        .isPositive();
    assertThat(reattached.request().timeoutSeconds())
        .as("the rest of the limit, counted from the first start")
        .isBetween(1L, 900L)
        .isLessThan(launched.request().timeoutSeconds());
    assertThat(reattached.request().command()).isEqualTo(launched.request().command());

    assertThat(api.operate(id, "stop").get("state").asString()).isEqualTo("stopped");
    String path = "/v1/sandboxes/" + id + "/tasks/" + taskId;
    JsonNode task = api.call("GET", path, null).json();
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    while (task.get("status").asString().equals("running") && System.nanoTime() < deadline) {
      SandbarTestSupport.sleep(250);
      task = api.call("GET", path, null).json();
    }
    assertThat(task.get("status").asString()).as(task.toString()).isEqualTo("killed");
    assertThat(task.get("error").asString())
        .as("killed by the stop, not found gone with the container")
        .isEqualTo("killed on request");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  /**
   * An archive whose owner deleted it while its file's removal did not finish is removed at
   * start-up, not quarantined; quarantined archives older than the retention are removed, younger
   * ones kept, and each removal is on the host's audit trail.
   */
  @Test
  void startUpRemovesDeletedArchivesAndQuarantinedOnesPastTheirRetention() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-restart-");
    String host = "/v1/hosts/restart-" + dataDir.getFileName();
    Path store = dataDir.resolve("archives");
    SandbarTestSupport api = start(dataDir);
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    String kept = snapshot(api, id);
    String deleted = snapshot(api, id);
    assertThat(api.call("DELETE", "/v1/archives/" + deleted, null).status()).isLessThan(300);
    api.call("DELETE", "/v1/sandboxes/" + id, null);

    system.stop();
    // The removal waits (for restores that may still read the file) and did not get to the file
    // before the stop; should it have, put the file back as if it had not.
    if (!Files.exists(store.resolve(deleted + ".tar"))) {
      Files.copy(store.resolve(kept + ".tar"), store.resolve(deleted + ".tar"));
    }
    Path quarantine = Files.createDirectories(store.resolve("quarantine"));
    FileTime eightDaysAgo = FileTime.from(Instant.now().minus(java.time.Duration.ofDays(8)));
    for (String name : List.of("expired-one", "recent-one")) {
      Files.writeString(quarantine.resolve(name + ".tar"), "broken " + name);
      Files.writeString(quarantine.resolve(name + ".reason"), "reason: test\n");
    }
    Files.setLastModifiedTime(quarantine.resolve("expired-one.tar"), eightDaysAgo);
    Files.setLastModifiedTime(quarantine.resolve("expired-one.reason"), eightDaysAgo);

    api = start(dataDir);

    assertThat(store.resolve(deleted + ".tar")).doesNotExist();
    assertThat(store.resolve(kept + ".tar")).exists();
    try (var left = Files.list(quarantine)) {
      assertThat(left.map(p -> p.getFileName().toString()))
          .containsExactlyInAnyOrder("recent-one.tar", "recent-one.reason");
    }
    assertThat(api.call("GET", "/v1/archives/" + kept, null).json().get("status").asString())
        .isEqualTo("ready");
    List<JsonNode> events =
        admin(api, "GET", host + "/events").json().get("items").valueStream().toList();
    assertThat(events)
        .anySatisfy(
            e -> {
              assertThat(e.get("action").asString()).isEqualTo("remove-deleted-archive");
              assertThat(e.get("reason").asString()).contains(deleted);
            })
        .anySatisfy(
            e -> {
              assertThat(e.get("action").asString()).isEqualTo("remove-quarantined-archive");
              assertThat(e.get("reason").asString()).contains("expired-one");
            })
        .noneSatisfy(e -> assertThat(e.get("reason").asString()).contains("recent-one"));
  }

  @Test
  void aDrainedHostStaysDrainedAcrossARestartAndASandboxThatCannotMoveIsStopped() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-restart-");
    String host = "/v1/hosts/restart-" + dataDir.getFileName();
    SandbarTestSupport api = start(dataDir);
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    Shell.run(docker, "sandbar-" + id, "echo kept > /data/file");

    // One host: evacuation has nowhere to move the sandbox, so it is stopped, its data kept.
    Response drained = admin(api, "POST", host + "/drain?evacuate=true");
    assertThat(drained.status()).as(drained.body()).isEqualTo(200);
    JsonNode outcome = drained.json().get("evacuated").get(0);
    assertThat(outcome.get("sandboxId").asString()).isEqualTo(id);
    assertThat(outcome.get("outcome").asString()).isEqualTo("stopped");
    assertThat(outcome.get("reason").asString()).contains("no online host other than");
    assertThat(api.get(id).get("state").asString()).isEqualTo("stopped");

    system.stop();
    api = start(dataDir);

    JsonNode restarted = admin(api, "GET", host).json();
    assertThat(restarted.get("state").asString()).isEqualTo("draining");
    assertThat(restarted.get("reachable").asBoolean()).isTrue();
    Response refused = api.call("POST", "/v1/sandboxes", "{}");
    assertThat(refused.status()).as(refused.body()).isEqualTo(400);

    assertThat(admin(api, "POST", host + "/undrain").json().get("state").asString())
        .isEqualTo("online");
    assertThat(api.operate(id, "start").get("state").asString()).isEqualTo("running");
    assertThat(Shell.run(docker, "sandbar-" + id, "cat /data/file")).isEqualTo("kept\n");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  /** The input the command's current workflow was started with. */
  private ExecInput execInput(String sandboxId, String taskId) {
    HistoryEvent started =
        system
            .bean(WorkflowClient.class)
            .fetchHistory(WorkflowIds.exec(sandboxId, taskId))
            .getEvents()
            .getFirst();
    return DefaultDataConverter.newDefaultInstance()
        .fromPayloads(
            0,
            Optional.of(started.getWorkflowExecutionStartedEventAttributes().getInput()),
            ExecInput.class,
            ExecInput.class);
  }

  private void awaitFile(String sandboxId, String file, String content) {
    long deadline = System.nanoTime() + java.time.Duration.ofSeconds(30).toNanos();
    String last = "";
    while (System.nanoTime() < deadline) {
      last = Shell.run(docker, "sandbar-" + sandboxId, "cat " + file + " 2>/dev/null; true");
      if (last.equals(content)) {
        return;
      }
      SandbarTestSupport.sleep(200);
    }
    throw new AssertionError(file + " never held " + content + "; last: " + last);
  }

  private static Response admin(SandbarTestSupport api, String method, String path) {
    return api.call(method, path, SandbarTestSupport.ADMIN_KEY, null, Map.of());
  }

  private SandbarTestSupport start(Path dataDir) {
    return system.start(dataDir, "restart-" + dataDir.getFileName());
  }

  private static String snapshot(SandbarTestSupport api, String id) {
    Response snapshot = api.call("POST", "/v1/sandboxes/" + id + "/archives", null);
    assertThat(snapshot.status()).as(snapshot.body()).isEqualTo(201);
    return snapshot.json().get("id").asString();
  }

  private static void flipAByte(Path file) throws IOException {
    try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
      raf.seek(raf.length() / 2);
      int b = raf.read();
      raf.seek(raf.length() / 2);
      raf.write(b ^ 0xff);
    }
  }
}
