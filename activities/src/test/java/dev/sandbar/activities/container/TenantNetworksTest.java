package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.Network;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.SandboxSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Per-tenant networks on the real Docker daemon: who can connect to whom, and the networks' life
 * cycle. A listener in one sandbox serves a word; a client in another asks for it by IP address.
 */
@ExtendWith(DockerDaemonExtension.class)
class TenantNetworksTest {

  private static final String HOST_ID = "net-host";
  private static final String PORT = "7000";

  /** Serves "secret" to every connection, one after another. */
  private static final List<String> LISTENER =
      List.of("sh", "-c", "while true; do echo secret | nc -l -p " + PORT + "; done");

  private final DockerClient docker;
  private final String installation = "net-test-" + UUID.randomUUID();
  private final DockerHostActivities host;
  private final List<String> sandboxIds = new ArrayList<>();

  TenantNetworksTest(DockerClient docker) {
    this.docker = docker;
    this.host = new DockerHostActivities(docker, HOST_ID, installation);
  }

  @AfterEach
  void removeEverything() {
    sandboxIds.forEach(id -> DockerTestSupport.removeAllOf(docker, id));
    DockerTestSupport.removeNetworksOf(docker, installation);
  }

  @Test
  void twoTenantsIsolatedSandboxesCannotConnectNorCanOneTenantsOwn() {
    String listener = running("tenant-a", "isolated", LISTENER);
    String sameTenant = running("tenant-a", "isolated", List.of());
    String otherTenant = running("tenant-b", "isolated", List.of());
    String address = ipOf(listener);

    assertThat(fetch(otherTenant, address)).as("another tenant's sandbox").doesNotContain("secret");
    assertThat(fetch(sameTenant, address))
        .as("the same tenant's sandbox, inter-container traffic off")
        .doesNotContain("secret");
    assertThat(fetch(listener, "127.0.0.1")).as("the listener itself serves").contains("secret");
  }

  @Test
  void aTenantsSandboxesOnItsSharedNetworkConnectAndNoOtherTenantDoes() {
    String listener = running("tenant-a", "shared", LISTENER);
    String sameTenant = running("tenant-a", "shared", List.of());
    String otherTenantShared = running("tenant-b", "shared", List.of());
    String otherTenantIsolated = running("tenant-b", "isolated", List.of());
    String address = ipOf(listener);

    assertThat(fetch(sameTenant, address)).contains("secret");
    assertThat(fetch(otherTenantShared, address)).doesNotContain("secret");
    assertThat(fetch(otherTenantIsolated, address)).doesNotContain("secret");
  }

  @Test
  void eachTenantsNetworkIsLabelledWithInterContainerTrafficAsItsModeSays() {
    String isolated = running("tenant-a", "isolated", List.of());
    String shared = running("tenant-a", "shared", List.of());

    Network isolatedNetwork = networkOf(isolated);
    Network sharedNetwork = networkOf(shared);

    assertThat(isolatedNetwork.getOptions()).containsEntry(TenantNetworks.ICC_OPTION, "false");
    assertThat(sharedNetwork.getOptions()).containsEntry(TenantNetworks.ICC_OPTION, "true");
    assertThat(isolatedNetwork.getLabels())
        .containsEntry(ContainerLabels.INSTALLATION, installation)
        .containsEntry(ContainerLabels.TENANT_ID, "tenant-a")
        .containsEntry(ContainerLabels.HOST_ID, HOST_ID)
        .containsEntry(ContainerLabels.NETWORK_MODE, "isolated");
    assertThat(isolatedNetwork.getName()).isNotEqualTo(sharedNetwork.getName());
  }

  @Test
  void aNetworkStaysForTheTenantsNextSandboxAndGoesOnceIdleForItsGrace() {
    host.keepIdleNetworksFor(Duration.ofSeconds(TenantNetworks.DEFAULT_IDLE_SECONDS));
    String first = running("tenant-a", "isolated", List.of());
    Network network = networkOf(first);

    host.removeContainer(new ContainerRef(first));
    host.removeIdleNetworks();
    assertThat(exists(network.getName())).as("kept within its idle grace").isTrue();
    String next = running("tenant-a", "isolated", List.of());
    assertThat(networkOf(next).getId()).as("the next sandbox joins it").isEqualTo(network.getId());

    host.keepIdleNetworksFor(Duration.ZERO);
    host.removeIdleNetworks();
    assertThat(exists(network.getName())).as("still used by the next sandbox").isTrue();
    host.removeContainer(new ContainerRef(next));
    host.removeIdleNetworks();
    assertThat(exists(network.getName())).as("idle for its whole grace of zero").isFalse();
  }

  @Test
  void theReconciliationListingSweepsIdleNetworksBesideIt() throws InterruptedException {
    String id = running("tenant-a", "isolated", List.of());
    String name = networkOf(id).getName();
    host.removeContainer(new ContainerRef(id));
    DockerInventoryActivities inventory =
        new DockerInventoryActivities(
            new DockerInventory(docker, host), host.keepIdleNetworksFor(Duration.ZERO));

    assertThat(inventory.listSandboxContainers().containers()).isEmpty();

    // The sweep runs beside the listing's answer; give it a generous while.
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (exists(name) && System.nanoTime() < deadline) {
      Thread.sleep(200);
    }
    assertThat(exists(name)).as("swept by the pass").isFalse();
  }

  @Test
  void aStoppedSandboxWhoseNetworkWentStartsAgain() {
    String id = running("tenant-a", "isolated", List.of());
    String name = networkOf(id).getName();

    host.stopContainer(new ContainerRef(id));
    docker.removeNetworkCmd(name).exec();
    // A start as the sandbox workflow runs it: create (finds or re-creates), then start.
    Map<String, String> labels =
        docker.inspectContainerCmd("sandbar-" + id).exec().getConfig().getLabels();
    host.createContainer(new CreateContainer(id, "tenant-a", HOST_ID, spec("isolated", List.of())));
    host.startContainer(new ContainerRef(id));
    assertThat(labels).containsEntry(ContainerLabels.NETWORK_MODE, "isolated");
    assertThat(exists(name)).as("re-created for the start").isTrue();
    assertThat(networkOf(id).getName()).isEqualTo(name);
  }

  @Test
  void oneTenantsCreatesRunSideBySideWhileIdleNetworksAreSwept() throws Exception {
    host.keepIdleNetworksFor(Duration.ZERO);
    List<String> ids = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      ids.add(DockerTestSupport.randomSandboxId());
    }
    sandboxIds.addAll(ids);
    try (ExecutorService threads = Executors.newFixedThreadPool(5)) {
      List<Future<ContainerInfo>> creates = new ArrayList<>();
      for (String id : ids) {
        creates.add(
            threads.submit(
                () ->
                    host.createAndStartContainer(
                        new CreateContainer(
                            id, "tenant-a", HOST_ID, spec("isolated", List.of())))));
      }
      Future<?> sweeps =
          threads.submit(
              () -> {
                for (int i = 0; i < 5; i++) {
                  host.removeIdleNetworks();
                }
              });
      for (Future<ContainerInfo> create : creates) {
        assertThat(create.get().status()).isEqualTo(ContainerStatus.RUNNING);
      }
      sweeps.get();
    }

    assertThat(ids)
        .extracting(id -> networkOf(id).getId())
        .containsOnly(networkOf(ids.get(0)).getId());
  }

  @Test
  void aSandboxMovedToAnotherHostGetsItsTenantsNetworkThereAndTheOldOneGoes() {
    String id = running("tenant-a", "isolated", List.of());
    String oldNetwork = networkOf(id).getName();
    DockerHostActivities other = new DockerHostActivities(docker, "net-host-b", installation);

    // A move as the sandbox workflow runs it: remove on the old host, create and start on the new.
    host.removeContainer(new ContainerRef(id));
    other.createContainer(
        new CreateContainer(id, "tenant-a", "net-host-b", spec("isolated", List.of())));
    other.startContainer(new ContainerRef(id));

    Network moved = networkOf(id);
    assertThat(moved.getName()).isNotEqualTo(oldNetwork);
    assertThat(moved.getLabels())
        .containsEntry(ContainerLabels.HOST_ID, "net-host-b")
        .containsEntry(ContainerLabels.TENANT_ID, "tenant-a");
    host.keepIdleNetworksFor(Duration.ZERO).removeIdleNetworks();
    assertThat(exists(oldNetwork)).isFalse();
    assertThat(exists(moved.getName())).as("the new host's sweep leaves its own alone").isTrue();
  }

  @Test
  void noneAndBridgeSandboxesGetNoTenantNetwork() {
    String none = running("tenant-a", "none", List.of());
    String bridge = running("tenant-a", "bridge", List.of());
    String storedBeforeModes = running("tenant-a", null, List.of());
    assertThat(
            docker
                .inspectContainerCmd("sandbar-" + storedBeforeModes)
                .exec()
                .getHostConfig()
                .getNetworkMode())
        .as("a spec stored before network modes keeps what it had")
        .isEqualTo("bridge");

    assertThat(
            docker.inspectContainerCmd("sandbar-" + none).exec().getHostConfig().getNetworkMode())
        .isEqualTo("none");
    assertThat(
            docker.inspectContainerCmd("sandbar-" + bridge).exec().getHostConfig().getNetworkMode())
        .isEqualTo("bridge");
    assertThat(
            docker
                .listNetworksCmd()
                .withFilter("label", List.of(ContainerLabels.INSTALLATION + "=" + installation))
                .exec())
        .isEmpty();
  }

  private String running(String tenant, String mode, List<String> command) {
    String id = DockerTestSupport.randomSandboxId();
    sandboxIds.add(id);
    host.createContainer(new CreateContainer(id, tenant, HOST_ID, spec(mode, command)));
    host.startContainer(new ContainerRef(id));
    return id;
  }

  private static SandboxSpec spec(String mode, List<String> command) {
    return DockerTestSupport.spec(mode, command, false, null);
  }

  /** What a client in {@code client} reads from the listener port at {@code address}. */
  private String fetch(String client, String address) {
    return DockerTestSupport.exec(
            docker, "sandbar-" + client, "sh", "-c", "nc -w 3 " + address + " " + PORT + " || true")
        .stdout();
  }

  private String ipOf(String sandboxId) {
    Map<String, ContainerNetwork> networks =
        docker
            .inspectContainerCmd("sandbar-" + sandboxId)
            .exec()
            .getNetworkSettings()
            .getNetworks();
    assertThat(networks).hasSize(1);
    return networks.values().iterator().next().getIpAddress();
  }

  private Network networkOf(String sandboxId) {
    String mode =
        docker.inspectContainerCmd("sandbar-" + sandboxId).exec().getHostConfig().getNetworkMode();
    return docker.inspectNetworkCmd().withNetworkId(mode).exec();
  }

  private boolean exists(String network) {
    try {
      docker.inspectNetworkCmd().withNetworkId(network).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }
}
