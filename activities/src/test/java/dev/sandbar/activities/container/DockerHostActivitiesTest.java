package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HostConfig;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.HostListing;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.ListedContainer;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** {@link DockerHostActivities} against the real local Docker daemon. */
@ExtendWith(DockerDaemonExtension.class)
class DockerHostActivitiesTest {

  private static final String HOST_ID = "test-host";
  private static final String TENANT_ID = "tenant-a";
  private static final String INSTALLATION = "test-installation";

  private final DockerClient docker;
  private DockerHostActivities activities;
  private final List<String> sandboxIds = new ArrayList<>();

  DockerHostActivitiesTest(DockerClient docker) {
    this.docker = docker;
  }

  @BeforeEach
  void setUp() {
    activities = new DockerHostActivities(docker, HOST_ID, INSTALLATION);
  }

  @AfterEach
  void removeSandboxes() {
    sandboxIds.forEach(id -> DockerTestSupport.removeAllOf(docker, id));
  }

  @Test
  void createsLabelledContainerWithLimitsAndLockedDownSecurity() {
    String id = newSandboxId();
    SandboxSpec spec =
        spec(DockerTestSupport.IMAGE)
            .labels(Map.of("team", "ml"))
            .env(Map.of("GREETING", "hello"))
            .resources(new Resources(0.5, 128, 64))
            .build();

    ContainerInfo info =
        activities.createContainer(new CreateContainer(id, TENANT_ID, HOST_ID, spec));

    assertThat(info.status()).isEqualTo(ContainerStatus.CREATED);
    InspectContainerResponse container = docker.inspectContainerCmd(info.containerId()).exec();
    assertThat(container.getName()).isEqualTo("/sandbar-" + id);
    assertThat(container.getConfig().getLabels())
        .containsEntry("sandbar.sandbox-id", id)
        .containsEntry("sandbar.host-id", HOST_ID)
        .containsEntry("sandbar.tenant-id", TENANT_ID)
        .containsEntry("sandbar.managed", "true")
        .containsEntry("sandbar.label.team", "ml")
        .doesNotContainKey("team");
    assertThat(container.getConfig().getEnv()).contains("GREETING=hello");
    assertThat(container.getConfig().getCmd()).containsExactly("sleep", "infinity");
    assertThat(container.getConfig().getHostName()).isEqualTo(id);

    HostConfig host = container.getHostConfig();
    assertThat(host.getMemory()).isEqualTo(128L * 1024 * 1024);
    assertThat(host.getMemorySwap()).isEqualTo(128L * 1024 * 1024);
    assertThat(host.getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(host.getPidsLimit()).isEqualTo(64L);
    assertThat(host.getInit()).isTrue();
    assertThat(host.getPrivileged()).isFalse();
    assertThat(host.getSecurityOpts()).contains("no-new-privileges");
    assertThat(host.getCapDrop()).containsExactly(Capability.ALL);
    assertThat(host.getCapAdd())
        .containsExactlyInAnyOrderElementsOf(SandboxContainerConfig.SANDBOX_CAPABILITIES);
    assertThat(host.getNetworkMode()).isEqualTo("bridge");

    assertThat(container.getMounts())
        .anySatisfy(
            mount -> {
              assertThat(mount.getName()).isEqualTo("sandbar-data-" + id);
              assertThat(mount.getDestination().getPath()).isEqualTo("/data");
            });
    InspectVolumeResponse volume = docker.inspectVolumeCmd("sandbar-data-" + id).exec();
    assertThat(volume.getLabels())
        .containsEntry("sandbar.sandbox-id", id)
        .containsEntry("sandbar.host-id", HOST_ID)
        .containsEntry("sandbar.tenant-id", TENANT_ID)
        .containsEntry("sandbar.managed", "true")
        .containsEntry("sandbar.label.team", "ml");
  }

  @Test
  void runningSandboxSeesItsLimitsFromInside() {
    String id = newSandboxId();
    SandboxSpec spec = spec(DockerTestSupport.IMAGE).resources(new Resources(1, 64, 32)).build();
    activities.createContainer(new CreateContainer(id, TENANT_ID, HOST_ID, spec));

    ContainerInfo started = activities.startContainer(new ContainerRef(id));

    assertThat(started.status()).isEqualTo(ContainerStatus.RUNNING);
    // PID 1 is Docker's init, which reaps zombies the sandbox's processes leave behind.
    assertThat(exec(started, "cat", "/proc/1/cmdline").stdout()).startsWith("/sbin/docker-init");
    String status = exec(started, "cat", "/proc/self/status").stdout();
    assertThat(status).contains("NoNewPrivs:\t1");
    // CapEff lists only the six kept capabilities: CHOWN, FOWNER, KILL, SETGID, SETUID,
    // NET_BIND_SERVICE, bits 0,3,5,6,7,10 = 0x4e9.
    assertThat(status).containsPattern("CapEff:\\s+0+4e9\\b");
  }

  @Test
  void creatingTwiceReturnsTheSameContainer() {
    String id = newSandboxId();
    CreateContainer request =
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build());

    ContainerInfo first = activities.createContainer(request);
    ContainerInfo second = activities.createContainer(request);

    assertThat(second).isEqualTo(first);
    assertThat(first.containerId()).isNotBlank();
  }

  @Test
  void createAndStartRunsTheContainerAndARetryFindsItRunning() {
    String id = newSandboxId();
    CreateContainer request =
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build());

    ContainerInfo first = activities.createAndStartContainer(request);
    ContainerInfo retried = activities.createAndStartContainer(request);

    assertThat(first.status()).isEqualTo(ContainerStatus.RUNNING);
    assertThat(retried).isEqualTo(first);
    assertThat(DockerDaemonExtension.containersOf(docker, id)).hasSize(1);
  }

  @Test
  void createAndStartStartsAContainerAnEarlierAttemptOnlyCreated() {
    String id = newSandboxId();
    CreateContainer request =
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build());
    ContainerInfo created = activities.createContainer(request);

    ContainerInfo started = activities.createAndStartContainer(request);

    assertThat(started.containerId()).isEqualTo(created.containerId());
    assertThat(started.status()).isEqualTo(ContainerStatus.RUNNING);
  }

  @Test
  void concurrentCreatesAgreeOnOneContainer() throws Exception {
    String id = newSandboxId();
    CreateContainer request =
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build());

    List<ContainerInfo> results;
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      List<CompletableFuture<ContainerInfo>> futures = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        futures.add(CompletableFuture.supplyAsync(() -> activities.createContainer(request), pool));
      }
      results = new ArrayList<>();
      for (CompletableFuture<ContainerInfo> f : futures) {
        results.add(f.get());
      }
    }

    assertThat(results)
        .extracting(ContainerInfo::containerId)
        .containsOnly(results.get(0).containerId());
    assertThat(DockerDaemonExtension.containersOf(docker, id)).hasSize(1);
  }

  @Test
  void dataSurvivesStopAndStart() {
    String id = newSandboxId();
    ContainerRef ref = new ContainerRef(id);
    activities.createContainer(
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build()));
    ContainerInfo running = activities.startContainer(ref);
    assertThat(exec(running, "sh", "-c", "echo kept > /data/f").exitCode()).isZero();

    assertThat(activities.stopContainer(ref).status()).isEqualTo(ContainerStatus.EXITED);
    ContainerInfo restarted = activities.startContainer(ref);

    assertThat(restarted.containerId()).isEqualTo(running.containerId());
    assertThat(exec(restarted, "cat", "/data/f").stdout()).isEqualTo("kept\n");
  }

  @Test
  void dataSurvivesRemovalOfTheContainerWhileTheVolumeIsKept() {
    String id = newSandboxId();
    ContainerRef ref = new ContainerRef(id);
    CreateContainer request =
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build());
    activities.createContainer(request);
    ContainerInfo first = activities.startContainer(ref);
    assertThat(exec(first, "sh", "-c", "echo kept > /data/f").exitCode()).isZero();

    // The container alone is lost (as after a host crash); the named volume stays.
    docker.removeContainerCmd(first.containerId()).withForce(true).exec();
    assertThat(activities.inspectContainer(ref).status()).isEqualTo(ContainerStatus.ABSENT);
    activities.createContainer(request);
    ContainerInfo second = activities.startContainer(ref);

    assertThat(second.containerId()).isNotEqualTo(first.containerId());
    assertThat(exec(second, "cat", "/data/f").stdout()).isEqualTo("kept\n");
  }

  @Test
  void customDataPathMountsTheVolumeThere() {
    String id = newSandboxId();
    SandboxSpec spec = spec(DockerTestSupport.IMAGE).dataPath("/workspace").build();
    activities.createContainer(new CreateContainer(id, TENANT_ID, HOST_ID, spec));
    ContainerInfo running = activities.startContainer(new ContainerRef(id));

    assertThat(exec(running, "sh", "-c", "echo hi > /workspace/f && cat /workspace/f").stdout())
        .isEqualTo("hi\n");
    assertThat(docker.inspectContainerCmd(running.containerId()).exec().getMounts())
        .anySatisfy(m -> assertThat(m.getDestination().getPath()).isEqualTo("/workspace"));
  }

  @Test
  void commandFromSpecIsWhatTheContainerRuns() {
    String id = newSandboxId();
    SandboxSpec spec =
        spec(DockerTestSupport.IMAGE)
            .command(List.of("sh", "-c", "echo $GREETING > /data/out; sleep 3600"))
            .env(Map.of("GREETING", "from-env"))
            .build();
    activities.createContainer(new CreateContainer(id, TENANT_ID, HOST_ID, spec));
    ContainerInfo running = activities.startContainer(new ContainerRef(id));

    // The command runs concurrently with this exec, so wait (bounded) for its output file.
    String waitThenRead =
        "for i in $(seq 100); do [ -s /data/out ] && break; sleep 0.1; done; cat /data/out";
    assertThat(exec(running, "sh", "-c", waitThenRead).stdout()).isEqualTo("from-env\n");
  }

  @Test
  void pausedContainerIsReportedPausedAndPauseAndUnpauseAreIdempotent() {
    String id = newSandboxId();
    ContainerRef ref = new ContainerRef(id);
    activities.createContainer(
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build()));
    activities.startContainer(ref);

    assertThat(activities.pauseContainer(ref).status()).isEqualTo(ContainerStatus.PAUSED);
    assertThat(activities.pauseContainer(ref).status()).isEqualTo(ContainerStatus.PAUSED);
    assertThat(activities.inspectContainer(ref).status()).isEqualTo(ContainerStatus.PAUSED);
    assertThat(docker.inspectContainerCmd(ref.containerName()).exec().getState().getPaused())
        .isTrue();
    // Start does not silently thaw a paused sandbox.
    assertThat(activities.startContainer(ref).status()).isEqualTo(ContainerStatus.PAUSED);

    assertThat(activities.unpauseContainer(ref).status()).isEqualTo(ContainerStatus.RUNNING);
    assertThat(activities.unpauseContainer(ref).status()).isEqualTo(ContainerStatus.RUNNING);
    assertThat(activities.startContainer(ref).status()).isEqualTo(ContainerStatus.RUNNING);
  }

  @Test
  void stoppingAPausedContainerStopsIt() {
    String id = newSandboxId();
    ContainerRef ref = new ContainerRef(id);
    activities.createContainer(
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build()));
    activities.startContainer(ref);
    activities.pauseContainer(ref);

    assertThat(activities.stopContainer(ref).status()).isEqualTo(ContainerStatus.EXITED);
    assertThat(activities.stopContainer(ref).status()).isEqualTo(ContainerStatus.EXITED);
  }

  @Test
  void pausingAStoppedContainerFailsWithInvalidState() {
    String id = newSandboxId();
    ContainerRef ref = new ContainerRef(id);
    activities.createContainer(
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build()));

    assertPermanentFailure(() -> activities.pauseContainer(ref), ErrorType.INVALID_STATE);
  }

  @Test
  void missingImageFailsPermanentlyWithImageNotFoundAndCreatesNothing() {
    String id = newSandboxId();
    SandboxSpec spec = spec("sandbar-no-such-image:" + id).build();

    ApplicationFailure failure =
        assertPermanentFailure(
            () -> activities.createContainer(new CreateContainer(id, TENANT_ID, HOST_ID, spec)),
            ErrorType.IMAGE_NOT_FOUND);

    assertThat(failure.getOriginalMessage())
        .contains("image sandbar-no-such-image:" + id + " is not present on host " + HOST_ID);
    assertThat(activities.inspectContainer(new ContainerRef(id)).status())
        .isEqualTo(ContainerStatus.ABSENT);
    assertThatThrownBy(() -> docker.inspectVolumeCmd("sandbar-data-" + id).exec())
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void memoryLimitDockerRefusesIsRejectedPermanently() {
    String id = newSandboxId();
    // Docker's floor is 6 MiB; below it the daemon answers 400.
    SandboxSpec spec = spec(DockerTestSupport.IMAGE).resources(new Resources(1, 1, 16)).build();

    ApplicationFailure failure =
        assertPermanentFailure(
            () -> activities.createContainer(new CreateContainer(id, TENANT_ID, HOST_ID, spec)),
            ErrorType.CONTAINER_CONFIG_REJECTED);

    assertThat(failure.getOriginalMessage()).containsIgnoringCase("memory");
  }

  @Test
  void unknownNetworkIsRejectedAtCreate() {
    String id = newSandboxId();
    SandboxSpec spec =
        spec(DockerTestSupport.IMAGE).networkMode("sandbar-no-such-net-" + id).build();

    assertPermanentFailure(
        () -> activities.createContainer(new CreateContainer(id, TENANT_ID, HOST_ID, spec)),
        ErrorType.CONTAINER_CONFIG_REJECTED);
    assertThat(activities.inspectContainer(new ContainerRef(id)).status())
        .isEqualTo(ContainerStatus.ABSENT);
  }

  @Test
  void commandDockerCannotExecuteExitsInsteadOfRunning() {
    String id = newSandboxId();
    SandboxSpec spec = spec(DockerTestSupport.IMAGE).command(List.of("/no/such/binary")).build();
    activities.createContainer(new CreateContainer(id, TENANT_ID, HOST_ID, spec));

    ContainerInfo info = activities.startContainer(new ContainerRef(id));

    // Docker's init execs the command, so a bad one shows up as an exit, never as running.
    assertThat(info.status()).isIn(ContainerStatus.RUNNING, ContainerStatus.EXITED);
    Long exitCode = awaitExit(info.containerId()).getState().getExitCodeLong();
    assertThat(exitCode).isNotZero();
    assertThat(activities.inspectContainer(new ContainerRef(id)).status())
        .isEqualTo(ContainerStatus.EXITED);
  }

  @Test
  void removingTwiceSucceedsAndRemovesTheVolume() {
    String id = newSandboxId();
    ContainerRef ref = new ContainerRef(id);
    activities.createContainer(
        new CreateContainer(id, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build()));
    activities.startContainer(ref);

    activities.removeContainer(ref);
    activities.removeContainer(ref);

    assertThat(activities.inspectContainer(ref))
        .isEqualTo(new ContainerInfo(null, ContainerStatus.ABSENT));
    assertThatThrownBy(() -> docker.inspectVolumeCmd(ref.volumeName()).exec())
        .isInstanceOf(NotFoundException.class);
  }

  @Test
  void stoppingAnAbsentContainerSucceeds() {
    ContainerRef ref = new ContainerRef(newSandboxId());

    assertThat(activities.stopContainer(ref))
        .isEqualTo(new ContainerInfo(null, ContainerStatus.ABSENT));
  }

  @Test
  void inspectingAnAbsentContainerReportsAbsent() {
    ContainerRef ref = new ContainerRef(newSandboxId());

    assertThat(activities.inspectContainer(ref))
        .isEqualTo(new ContainerInfo(null, ContainerStatus.ABSENT));
  }

  @Test
  void startingPausingOrUnpausingAnAbsentContainerFailsWithContainerGone() {
    ContainerRef ref = new ContainerRef(newSandboxId());

    assertPermanentFailure(() -> activities.startContainer(ref), ErrorType.CONTAINER_GONE);
    assertPermanentFailure(() -> activities.pauseContainer(ref), ErrorType.CONTAINER_GONE);
    assertPermanentFailure(() -> activities.unpauseContainer(ref), ErrorType.CONTAINER_GONE);
  }

  @Test
  void theReconciliationListingCarriesExitCodesVolumesAndAges() throws Exception {
    String exited = newSandboxId();
    String volumeOnly = newSandboxId();
    activities.createContainer(
        new CreateContainer(
            exited,
            TENANT_ID,
            HOST_ID,
            spec(DockerTestSupport.IMAGE).command(List.of("sh", "-c", "exit 3")).build()));
    activities.startContainer(new ContainerRef(exited));
    activities.createContainer(
        new CreateContainer(volumeOnly, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build()));
    docker.removeContainerCmd("sandbar-" + volumeOnly).withForce(true).exec();
    long deadline = System.currentTimeMillis() + 20_000;
    DockerInventoryActivities inventory =
        new DockerInventoryActivities(new DockerInventory(docker, activities));
    HostListing listing = inventory.listSandboxContainers();
    while (listing.containers().stream()
            .noneMatch(c -> c.sandboxId().equals(exited) && c.exitCode() != null)
        && System.currentTimeMillis() < deadline) {
      Thread.sleep(100);
      listing = inventory.listSandboxContainers();
    }

    ListedContainer found =
        listing.containers().stream()
            .filter(c -> c.sandboxId().equals(exited))
            .findFirst()
            .orElseThrow();
    assertThat(found.status()).isEqualTo(ContainerStatus.EXITED);
    assertThat(found.exitCode()).isEqualTo(3);
    assertThat(found.tenantId()).isEqualTo(TENANT_ID);
    assertThat(found.createdAtMs()).isPositive().isLessThanOrEqualTo(listing.listedAtMs());
    assertThat(listing.containers())
        .extracting(ListedContainer::sandboxId)
        .doesNotContain(volumeOnly);
    assertThat(listing.volumeSandboxIds()).contains(exited, volumeOnly);
  }

  @Test
  void listsOnlyThisHostsManagedContainersWithTheirStatus() {
    String running = newSandboxId();
    String created = newSandboxId();
    String otherHosts = newSandboxId();
    activities.createContainer(
        new CreateContainer(running, TENANT_ID, HOST_ID, spec(DockerTestSupport.IMAGE).build()));
    ContainerInfo runningInfo = activities.startContainer(new ContainerRef(running));
    ContainerInfo createdInfo =
        activities.createContainer(
            new CreateContainer(
                created, "tenant-b", HOST_ID, spec(DockerTestSupport.IMAGE).build()));
    new DockerHostActivities(docker, "some-other-host", INSTALLATION)
        .createContainer(
            new CreateContainer(
                otherHosts, TENANT_ID, "some-other-host", spec(DockerTestSupport.IMAGE).build()));

    List<SandboxContainer> listed = new DockerInventory(docker, HOST_ID, INSTALLATION).containers();

    assertThat(listed)
        .extracting(
            SandboxContainer::sandboxId,
            SandboxContainer::tenantId,
            SandboxContainer::containerId,
            SandboxContainer::status)
        .contains(
            tuple(running, TENANT_ID, runningInfo.containerId(), ContainerStatus.RUNNING),
            tuple(created, "tenant-b", createdInfo.containerId(), ContainerStatus.CREATED));
    assertThat(listed).extracting(SandboxContainer::sandboxId).doesNotContain(otherHosts);
  }

  @Test
  void unreachableDaemonIsARetryableFailureNamingTheHost() throws IOException {
    try (DockerClient nowhere =
        DockerClients.create(java.net.URI.create("unix:///nonexistent/sandbar-docker.sock"))) {
      DockerHostActivities offline = new DockerHostActivities(nowhere, HOST_ID, INSTALLATION);

      assertThatThrownBy(() -> offline.inspectContainer(new ContainerRef("x")))
          .isInstanceOf(DockerOperationException.class)
          .isNotInstanceOf(ApplicationFailure.class)
          .hasMessageContaining("inspect of sandbox x on host " + HOST_ID);
      assertThat(DockerClients.isReachable(nowhere)).isFalse();
    }
  }

  // --- helpers ---

  private String newSandboxId() {
    String id = DockerTestSupport.randomSandboxId();
    sandboxIds.add(id);
    return id;
  }

  private DockerTestSupport.ExecResult exec(ContainerInfo container, String... command) {
    return DockerTestSupport.exec(docker, container.containerId(), command);
  }

  private InspectContainerResponse awaitExit(String containerId) {
    for (int i = 0; i < 100; i++) {
      InspectContainerResponse inspected = docker.inspectContainerCmd(containerId).exec();
      if (!Boolean.TRUE.equals(inspected.getState().getRunning())) {
        return inspected;
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
    throw new AssertionError("container " + containerId + " still running after 10 s");
  }

  private static ApplicationFailure assertPermanentFailure(Runnable call, ErrorType type) {
    ApplicationFailure failure = catchThrowableOfType(ApplicationFailure.class, call::run);
    assertThat(failure).as("expected an ApplicationFailure of type %s", type).isNotNull();
    assertThat(failure.getType()).isEqualTo(type.name());
    assertThat(failure.isNonRetryable()).isTrue();
    return failure;
  }

  private static SpecBuilder spec(String image) {
    return new SpecBuilder(image);
  }

  /** Fills the spec fields these tests do not care about with what the API would default. */
  private static final class SpecBuilder {
    private final String image;
    private List<String> command = List.of();
    private Map<String, String> env = Map.of();
    private Map<String, String> labels = Map.of();
    private Resources resources = Resources.DEFAULT;
    private String dataPath = "/data";
    private String networkMode = "bridge";

    SpecBuilder(String image) {
      this.image = image;
    }

    SpecBuilder command(List<String> value) {
      command = value;
      return this;
    }

    SpecBuilder env(Map<String, String> value) {
      env = value;
      return this;
    }

    SpecBuilder labels(Map<String, String> value) {
      labels = value;
      return this;
    }

    SpecBuilder resources(Resources value) {
      resources = value;
      return this;
    }

    SpecBuilder dataPath(String value) {
      dataPath = value;
      return this;
    }

    SpecBuilder networkMode(String value) {
      networkMode = value;
      return this;
    }

    SandboxSpec build() {
      return new SandboxSpec(
          image,
          command,
          env,
          labels,
          resources,
          0,
          IdleAction.PAUSE,
          0,
          dataPath,
          networkMode,
          null,
          List.of());
    }
  }
}
