package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.model.AdoptPooled;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.PoolSlot;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Warm-pool containers on the real Docker daemon: they wait on no network at all, and a claim makes
 * one a sandbox on its tenant's network only, with the sandbox's limits and environment.
 */
@ExtendWith(DockerDaemonExtension.class)
class DockerPoolActivitiesTest {

  private static final String HOST_ID = "pool-host";
  private static final String PORT = "7000";

  private final DockerClient docker;
  private final String installation = "pool-test-" + UUID.randomUUID();
  private final DockerHostActivities host;
  private final DockerPoolActivities pool;
  private final List<String> sandboxIds = new ArrayList<>();
  private final List<PoolSlot> slots = new ArrayList<>();

  DockerPoolActivitiesTest(DockerClient docker) {
    this.docker = docker;
    this.host = new DockerHostActivities(docker, HOST_ID, installation);
    this.pool = new DockerPoolActivities(host);
  }

  @AfterEach
  void removeEverything() {
    sandboxIds.forEach(id -> DockerTestSupport.removeAllOf(docker, id));
    slots.forEach(pool::removePoolContainer);
    DockerTestSupport.removeNetworksOf(docker, installation);
  }

  @Test
  void aPoolContainerWaitsOnNoNetworkAndBecomesASandboxOnItsTenantsNetworkOnly() {
    PoolSlot slot = new PoolSlot(UUID.randomUUID().toString(), DockerTestSupport.IMAGE);
    slots.add(slot);
    pool.createPoolContainer(slot);
    pool.createPoolContainer(slot);
    InspectContainerResponse waiting = docker.inspectContainerCmd(slot.containerName()).exec();
    assertThat(waiting.getState().getRunning()).isTrue();
    assertThat(waiting.getNetworkSettings().getNetworks())
        .as("an unclaimed pool container shares no network with anyone")
        .isEmpty();
    assertThat(waiting.getHostConfig().getMemory())
        .as("made with the default sandbox's limits")
        .isEqualTo(Resources.DEFAULT.memoryMb() * 1024 * 1024);

    String listener = runningListener("tenant-a");
    String address = ipOf("sandbar-" + listener);
    assertThat(fetch(slot.containerName(), address))
        .as("an unclaimed pool container reaches nobody")
        .doesNotContain("secret");

    String sandboxId = DockerTestSupport.randomSandboxId();
    sandboxIds.add(sandboxId);
    SandboxSpec spec =
        withEnvAndLimits(
            DockerTestSupport.spec("shared"),
            Map.of("GREETING", "hello"),
            new Resources(0.5, 128, 64));
    AdoptPooled claim =
        new AdoptPooled(slot, new CreateContainer(sandboxId, "tenant-a", HOST_ID, spec));
    ContainerInfo adopted = pool.adoptPoolContainer(claim);
    assertThat(pool.adoptPoolContainer(claim))
        .as("a retried adoption finds the same container")
        .isEqualTo(adopted);
    assertThat(adopted.containerId()).isEqualTo(waiting.getId());

    InspectContainerResponse sandbox =
        docker.inspectContainerCmd(new ContainerRef(sandboxId).containerName()).exec();
    assertThat(sandbox.getNetworkSettings().getNetworks().keySet())
        .as("the tenant's shared network, nothing else")
        .containsExactly(
            docker
                .inspectContainerCmd("sandbar-" + listener)
                .exec()
                .getHostConfig()
                .getNetworkMode());
    assertThat(sandbox.getHostConfig().getMemory()).isEqualTo(128L * 1024 * 1024);
    assertThat(sandbox.getHostConfig().getMemorySwap()).isEqualTo(128L * 1024 * 1024);
    assertThat(sandbox.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(sandbox.getHostConfig().getPidsLimit()).isEqualTo(64L);
    assertThat(fetch(sandbox.getId(), address))
        .as("the claimed sandbox reaches its tenant's shared sandboxes")
        .contains("secret");
    assertThat(DockerTestSupport.exec(docker, sandbox.getId(), "cat", SandboxEnvFile.PATH).stdout())
        .contains("GREETING");
  }

  @Test
  void aDefaultSizedClaimKeepsThePoolContainersLimits() {
    PoolSlot slot = new PoolSlot(UUID.randomUUID().toString(), DockerTestSupport.IMAGE);
    slots.add(slot);
    pool.createPoolContainer(slot);
    String sandboxId = DockerTestSupport.randomSandboxId();
    sandboxIds.add(sandboxId);

    pool.adoptPoolContainer(
        new AdoptPooled(
            slot,
            new CreateContainer(
                sandboxId, "tenant-b", HOST_ID, DockerTestSupport.spec("isolated"))));

    InspectContainerResponse sandbox =
        docker.inspectContainerCmd(new ContainerRef(sandboxId).containerName()).exec();
    assertThat(sandbox.getState().getRunning()).isTrue();
    assertThat(sandbox.getHostConfig().getMemory())
        .isEqualTo(Resources.DEFAULT.memoryMb() * 1024 * 1024);
    assertThat(sandbox.getHostConfig().getPidsLimit()).isEqualTo(Resources.DEFAULT.pids());
    assertThat(sandbox.getNetworkSettings().getNetworks().keySet())
        .singleElement()
        .satisfies(network -> assertThat(network).startsWith("sandbar-isolated-"));
  }

  private String runningListener(String tenant) {
    String id = DockerTestSupport.randomSandboxId();
    sandboxIds.add(id);
    SandboxSpec spec =
        DockerTestSupport.spec(
            "shared",
            List.of("sh", "-c", "while true; do echo secret | nc -l -p " + PORT + "; done"),
            false,
            null);
    host.createContainer(new CreateContainer(id, tenant, HOST_ID, spec));
    host.startContainer(new ContainerRef(id));
    return id;
  }

  private static SandboxSpec withEnvAndLimits(
      SandboxSpec spec, Map<String, String> env, Resources resources) {
    return new SandboxSpec(
        spec.image(),
        spec.command(),
        env,
        spec.labels(),
        resources,
        spec.idleTimeoutSeconds(),
        spec.idleAction(),
        spec.ttlSeconds(),
        spec.dataPath(),
        spec.networkMode(),
        spec.restoreFrom(),
        spec.hostLabels(),
        spec.healthcheck(),
        spec.restartPolicy(),
        spec.readOnlyRootFilesystem(),
        spec.user());
  }

  /** What a client in container {@code client} reads from the listener port at {@code address}. */
  private String fetch(String client, String address) {
    return DockerTestSupport.exec(
            docker, client, "sh", "-c", "nc -w 3 " + address + " " + PORT + " || true")
        .stdout();
  }

  private String ipOf(String container) {
    Map<String, ContainerNetwork> networks =
        docker.inspectContainerCmd(container).exec().getNetworkSettings().getNetworks();
    assertThat(networks).hasSize(1);
    return networks.values().iterator().next().getIpAddress();
  }
}
