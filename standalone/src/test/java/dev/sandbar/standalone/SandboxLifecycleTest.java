package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class SandboxLifecycleTest extends EndToEndTest {

  @Test
  void createsRunningContainerWithLabelsLimitsAndDataVolume() {
    // Its own command keeps it out of the warm pool: this is what a fresh create makes (a claimed
    // pool container's labels and volume name differ, see WarmPoolTest).
    JsonNode sandbox =
        api.createRunning(
            """
            {"wait": true, "labels": {"team": "ml"}, "command": ["sleep", "infinity"],
             "resources": {"cpus": 0.5, "memoryMb": 128, "pids": 64}}
            """);
    String id = sandbox.get("id").asString();
    InspectContainerResponse container = docker.inspectContainerCmd("sandbar-" + id).exec();

    assertThat(container.getState().getRunning()).isTrue();
    assertThat(container.getConfig().getLabels())
        .containsEntry("sandbar.sandbox-id", id)
        .containsEntry("sandbar.host-id", "e2e")
        .containsEntry("sandbar.managed", "true");
    assertThat(container.getHostConfig().getMemory()).isEqualTo(128L * 1024 * 1024);
    assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(container.getHostConfig().getPidsLimit()).isEqualTo(64L);
    assertThat(container.getHostConfig().getInit()).isTrue();
    assertThat(container.getHostConfig().getPrivileged()).isFalse();
    assertThat(container.getHostConfig().getSecurityOpts()).contains("no-new-privileges");
    assertThat(container.getMounts())
        .anySatisfy(
            mount -> {
              assertThat(mount.getName()).isEqualTo("sandbar-data-" + id);
              assertThat(mount.getDestination().getPath()).isEqualTo("/data");
            });
    assertThat(sandbox.get("hostId").asString()).isEqualTo("e2e");
    assertThat(sandbox.get("labels").get("team").asString()).isEqualTo("ml");

    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void dataUnderDataPathSurvivesStopStartAndRestart() throws Exception {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    Shell.run(docker, "sandbar-" + id, "echo kept > /data/file && echo gone > /tmp/scratch");

    assertThat(api.operate(id, "stop").get("state").asString()).isEqualTo("stopped");
    assertThat(docker.inspectContainerCmd("sandbar-" + id).exec().getState().getRunning())
        .isFalse();
    assertThat(api.operate(id, "start").get("state").asString()).isEqualTo("running");
    assertThat(Shell.run(docker, "sandbar-" + id, "cat /data/file")).isEqualTo("kept\n");

    assertThat(api.operate(id, "restart").get("state").asString()).isEqualTo("running");
    assertThat(Shell.run(docker, "sandbar-" + id, "cat /data/file")).isEqualTo("kept\n");

    List<JsonNode> events = api.events(id);
    assertThat(events).extracting(e -> e.get("toState").asString()).contains("stopped", "running");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void pauseFreezesTheContainerAndResumeThawsIt() {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();

    assertThat(api.operate(id, "pause").get("state").asString()).isEqualTo("paused");
    assertThat(docker.inspectContainerCmd("sandbar-" + id).exec().getState().getPaused()).isTrue();

    Response invalid = api.call("POST", "/v1/sandboxes/" + id + "/pause", null);
    assertThat(invalid.status()).isEqualTo(409);
    assertThat(invalid.contentType()).startsWith("application/problem+json");
    assertThat(invalid.body()).contains("paused");

    assertThat(api.operate(id, "resume").get("state").asString()).isEqualTo("running");
    assertThat(docker.inspectContainerCmd("sandbar-" + id).exec().getState().getPaused()).isFalse();
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void destroyRemovesContainerAndVolumeAndIsIdempotent() {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();
    String volume = DataVolume.of(docker, id);

    Response destroyed = api.call("DELETE", "/v1/sandboxes/" + id, null);
    assertThat(destroyed.status()).as(destroyed.body()).isEqualTo(200);
    assertThat(destroyed.json().get("state").asString()).isEqualTo("destroyed");
    assertThat(containersOf(id)).isEmpty();
    assertThat(volumeExists(volume)).isFalse();

    Response again = api.call("DELETE", "/v1/sandboxes/" + id, null);
    assertThat(again.status()).isEqualTo(200);
    assertThat(again.json().get("state").asString()).isEqualTo("destroyed");
    assertThat(api.call("POST", "/v1/sandboxes/" + id + "/start", null).status()).isEqualTo(409);
  }

  @Test
  void createWithoutWaitAnswersAtOnceAndSettlesRunning() {
    Response created = api.call("POST", "/v1/sandboxes", "{}");
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    String id = created.json().get("id").asString();

    JsonNode running =
        api.awaitSandbox(
            id, s -> s.get("state").asString().equals("running"), Duration.ofMinutes(1));
    assertThat(running.get("hostId").asString()).isEqualTo("e2e");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void idempotencyKeyReturnsTheSameSandbox() {
    Map<String, String> key = Map.of("Idempotency-Key", "create-once-" + System.nanoTime());
    Response first =
        api.call("POST", "/v1/sandboxes", SandbarTestSupport.API_KEY, "{\"wait\": true}", key);
    Response second =
        api.call("POST", "/v1/sandboxes", SandbarTestSupport.API_KEY, "{\"wait\": true}", key);

    assertThat(first.status()).as(first.body()).isEqualTo(201);
    String id = first.json().get("id").asString();
    assertThat(second.json().get("id").asString()).isEqualTo(id);
    assertThat(containersOf(id)).hasSize(1);
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  List<Container> containersOf(String id) {
    return DockerDaemonExtension.containersOf(docker, id);
  }

  boolean volumeExists(String name) {
    try {
      InspectVolumeResponse volume = docker.inspectVolumeCmd(name).exec();
      return volume != null;
    } catch (NotFoundException gone) {
      return false;
    }
  }
}
