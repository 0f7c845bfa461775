package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.SandboxSpec;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Container root against host root. On the main daemon the uid map inside a sandbox is what the
 * host reports (remapped with user namespaces, the identity without); on a daemon started with
 * {@code --userns-remap=default} ({@code scripts/userns-docker-host.sh}, which this test starts), a
 * sandbox with Sandbar's whole container configuration runs with root mapped to an unprivileged
 * host range.
 */
@ExtendWith(DockerDaemonExtension.class)
class UserNamespaceTest {

  /** {@code /proc/self/uid_map} of a process whose root is the host's root. */
  private static final String IDENTITY_MAP = "0 0 4294967295";

  private final DockerClient docker;

  UserNamespaceTest(DockerClient docker) {
    this.docker = docker;
  }

  @Test
  void theUidMapInASandboxIsWhatTheHostReports() {
    boolean userNamespaces = new DockerHostProbe(docker).probe().userNamespaces();

    String uidMap = uidMapOfASandbox(docker);

    if (userNamespaces) {
      assertThat(uidMap).isNotEqualTo(IDENTITY_MAP);
    } else {
      assertThat(uidMap)
          .as("no user namespaces: container root is host root")
          .isEqualTo(IDENTITY_MAP);
    }
  }

  @Test
  void onAUserNamespaceDaemonContainerRootIsAnUnprivilegedHostUser() throws Exception {
    try (DockerClient remapped = DockerClients.create(URI.create(startUserNamespaceDaemon()))) {
      assertThat(new DockerHostProbe(remapped).probe().userNamespaces()).isTrue();

      String uidMap = uidMapOfASandbox(remapped);

      assertThat(uidMap).isNotEqualTo(IDENTITY_MAP);
      String[] fields = uidMap.split("\\s+");
      assertThat(fields[0]).as("container root").isEqualTo("0");
      assertThat(Long.parseLong(fields[1])).as("is this host uid").isPositive();
    }
  }

  /**
   * Creates and starts a sandbox with Sandbar's configuration (tenant network, data volume, init,
   * capabilities, no-new-privileges), checks its data path is writable and answers its uid map.
   */
  private static String uidMapOfASandbox(DockerClient client) {
    String sandboxId = DockerTestSupport.randomSandboxId();
    DockerHostActivities host =
        new DockerHostActivities(client, "userns-host", "userns-" + UUID.randomUUID());
    SandboxSpec spec = DockerTestSupport.spec(TenantNetworks.ISOLATED);
    try {
      host.createContainer(new CreateContainer(sandboxId, "tenant-u", "userns-host", spec));
      host.startContainer(new ContainerRef(sandboxId));
      String container = new ContainerRef(sandboxId).containerName();
      DockerTestSupport.ExecResult written =
          DockerTestSupport.exec(client, container, "sh", "-c", "echo ok > /data/f && cat /data/f");
      assertThat(written.stdout()).as(written.stderr()).isEqualTo("ok\n");
      return DockerTestSupport.exec(client, container, "cat", "/proc/self/uid_map")
          .stdout()
          .trim()
          .replaceAll("\\s+", " ");
    } finally {
      host.removeContainer(new ContainerRef(sandboxId));
    }
  }

  /** Runs the script that starts the userns daemon (idempotent) and answers its socket. */
  private static String startUserNamespaceDaemon() throws IOException, InterruptedException {
    Path script = Path.of("").toAbsolutePath().getParent().resolve("scripts/userns-docker-host.sh");
    assertThat(script).as("the repository's script").exists();
    Path log = Files.createTempFile("userns-docker-host", ".log");
    Process process =
        new ProcessBuilder("bash", script.toString()).redirectError(log.toFile()).start();
    String socket = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    boolean finished = process.waitFor(180, TimeUnit.SECONDS);
    assertThat(finished && process.exitValue() == 0)
        .as("%s failed:%n%s", script, Files.readString(log))
        .isTrue();
    return socket.strip();
  }
}
