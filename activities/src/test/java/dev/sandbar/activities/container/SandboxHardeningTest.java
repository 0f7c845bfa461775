package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.StartCommand;
import io.temporal.testing.TestActivityEnvironment;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sandbox with a read-only root filesystem and its own user, on the real Docker daemon: commands
 * run through Sandbar's wrapper as that user, the data path, {@code /tmp} and the task directory
 * stay writable, the rest of the root filesystem does not.
 */
@ExtendWith(DockerDaemonExtension.class)
class SandboxHardeningTest {

  private static final String HOST_ID = "hardening-host";

  private final DockerClient docker;
  private final DockerHostActivities host;
  private final TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
  private final CommandActivities commands;
  private final List<String> sandboxIds = new ArrayList<>();

  SandboxHardeningTest(DockerClient docker) {
    this.docker = docker;
    this.host = new DockerHostActivities(docker, HOST_ID, "hardening-" + UUID.randomUUID());
    environment.registerActivitiesImplementations(new DockerCommandActivities(docker));
    commands =
        CommandActivityStubs.singleAttempt(
            environment, Duration.ofMinutes(2), Duration.ofSeconds(10));
  }

  @AfterEach
  void tearDown() {
    environment.close();
    sandboxIds.forEach(id -> DockerTestSupport.removeAllOf(docker, id));
  }

  @Test
  void commandsRunAsTheUserWithOnlyDataTmpAndTasksWritable() {
    String id = running(true, "1000:1000");

    CommandOutcome outcome =
        run(
            id,
            "id -u; echo kept > /data/file && cat /data/file; echo scratch > /tmp/f && cat /tmp/f;"
                + " if echo x > /bin/planted 2>/dev/null; then echo root-writable;"
                + " else echo root-read-only; fi");

    assertThat(outcome.exitCode()).as(outcome.stderr()).isZero();
    assertThat(outcome.stdout()).isEqualTo("1000\nkept\nscratch\nroot-read-only\n");
    HostConfig config = docker.inspectContainerCmd("sandbar-" + id).exec().getHostConfig();
    assertThat(config.getReadonlyRootfs()).isTrue();
    assertThat(config.getCapAdd()).doesNotContain(Capability.DAC_OVERRIDE);
    assertThat(config.getSecurityOpts()).contains("no-new-privileges");
  }

  @Test
  void aReadOnlyRootSandboxOfTheImagesUserStillRunsCommands() {
    String id = running(true, null);

    CommandOutcome outcome = run(id, "id -u; touch /data/x /tmp/y && echo ok; touch /etc/z");

    assertThat(outcome.stdout()).isEqualTo("0\nok\n");
    assertThat(outcome.stderr()).contains("Read-only file system");
  }

  private String running(boolean readOnly, String user) {
    String id = DockerTestSupport.randomSandboxId();
    sandboxIds.add(id);
    SandboxSpec spec = DockerTestSupport.spec("none", List.of(), readOnly, user);
    host.createContainer(new CreateContainer(id, "tenant-h", HOST_ID, spec));
    host.startContainer(new ContainerRef(id));
    return id;
  }

  private CommandOutcome run(String sandboxId, String command) {
    CommandRef ref = new CommandRef(sandboxId, "t-" + UUID.randomUUID().toString().substring(0, 8));
    commands.startCommand(new StartCommand(ref, command, null, Map.of()));
    return commands.awaitCommand(new AwaitCommand(ref, 0, false, 64 * 1024));
  }
}
