package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.sandbar.activities.container.ContainerLabels;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.model.PoolSettings;
import dev.sandbar.workflows.pool.HostPoolWorkflow;
import io.temporal.client.WorkflowClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * The warm pool against the real Docker daemon: a create of the pool's image takes a started pool
 * container and the user cannot tell it from a fresh one; the pool refills, shrinks and never hands
 * one container to two creates. Each test has a system (and pool) of its own.
 */
@ExtendWith(DockerDaemonExtension.class)
class WarmPoolTest {

  private static final String IMAGE = "sandbar-base:latest";
  private static final Duration POOL_BOUND = Duration.ofSeconds(120);

  private final DockerClient docker;
  @RegisterExtension final StandaloneSystem system = new StandaloneSystem();

  private final List<String> created = Collections.synchronizedList(new ArrayList<>());
  private String hostId;
  private SandbarTestSupport api;

  WarmPoolTest(DockerClient docker) {
    this.docker = docker;
  }

  @Test
  void claimedSandboxHasTheUsersEnvLimitsAndOwnVolumeAndThePoolRefills() throws Exception {
    start(2);
    Set<String> ready = awaitReady(2);

    JsonNode sandbox =
        create(
            """
            {"wait": true, "env": {"GREETING": "hello from the spec", "QUOTE": "it's"},
             "resources": {"cpus": 0.5, "memoryMb": 128, "pids": 64}}
            """);
    String id = sandbox.get("id").asString();
    InspectContainerResponse container = docker.inspectContainerCmd("sandbar-" + id).exec();

    String slot = container.getConfig().getLabels().get(ContainerLabels.POOL_SLOT);
    assertThat(ready).as("the sandbox's container came from the pool").contains(slot);
    assertThat(container.getState().getRunning()).isTrue();
    assertThat(container.getHostConfig().getMemory()).isEqualTo(128L * 1024 * 1024);
    assertThat(container.getHostConfig().getMemorySwap()).isEqualTo(128L * 1024 * 1024);
    assertThat(container.getHostConfig().getNanoCPUs()).isEqualTo(500_000_000L);
    assertThat(container.getHostConfig().getPidsLimit()).isEqualTo(64L);
    assertThat(dataVolume(container)).isEqualTo("sandbar-data-pool-" + slot);
    assertThat(container.getNetworkSettings().getNetworks().keySet())
        .as("the tenant's network joined, no other")
        .singleElement()
        .satisfies(network -> assertThat(network).startsWith("sandbar-isolated-"));

    assertThat(run(id, "echo \"$GREETING\" \"$QUOTE\"", Map.of()).get("stdout").asString())
        .isEqualTo("hello from the spec it's\n");
    assertThat(
            run(id, "echo \"$GREETING\"", Map.of("GREETING", "from the exec"))
                .get("stdout")
                .asString())
        .as("the exec request's env wins, as over a fresh container's")
        .isEqualTo("from the exec\n");
    assertThat(run(id, "echo kept > /data/f && cat /data/f", Map.of()).get("stdout").asString())
        .isEqualTo("kept\n");

    Response list = api.call("GET", "/v1/sandboxes", null);
    assertThat(list.body()).contains(id);
    JsonNode host = hostView();
    assertThat(host.get("sandboxes").asLong()).as("pool containers are no sandboxes").isEqualTo(1);

    Set<String> refilled = awaitReady(2);
    assertThat(refilled).doesNotContain(slot);

    // A dead pool container is replaced.
    String victim = refilled.iterator().next();
    docker.killContainerCmd("sandbar-pool-" + victim).exec();
    awaitReadyWithout(victim);

    // Stop and start keep the sandbox's limits and env; destroy removes the pool volume with it.
    api.operate(id, "stop");
    api.operate(id, "start");
    assertThat(run(id, "echo \"$GREETING\"; cat /data/f", Map.of()).get("stdout").asString())
        .isEqualTo("hello from the spec\nkept\n");
    assertThat(api.call("DELETE", "/v1/sandboxes/" + id, null).status()).isEqualTo(200);
    created.clear();
    assertThat(volumeExists("sandbar-data-pool-" + slot)).isFalse();
  }

  @Test
  void concurrentCreatesNeverShareAPoolContainerAndOtherShapesAreCreatedFresh() throws Exception {
    start(2);
    awaitReady(2);

    ExecutorService threads = Executors.newFixedThreadPool(4);
    List<String> ids = new ArrayList<>();
    try {
      List<Future<String>> creates = new ArrayList<>();
      for (int i = 0; i < 4; i++) {
        creates.add(threads.submit(() -> create("{\"wait\": true}").get("id").asString()));
      }
      for (Future<String> id : creates) {
        ids.add(id.get());
      }
    } finally {
      threads.shutdownNow();
    }
    Set<String> volumes = new HashSet<>();
    List<String> slots = new ArrayList<>();
    for (String id : ids) {
      InspectContainerResponse container = docker.inspectContainerCmd("sandbar-" + id).exec();
      assertThat(container.getState().getRunning()).isTrue();
      assertThat(container.getHostConfig().getMemory())
          .as("the default limits, claimed or fresh")
          .isEqualTo(512L * 1024 * 1024);
      assertThat(container.getNetworkSettings().getNetworks().keySet())
          .singleElement()
          .satisfies(network -> assertThat(network).startsWith("sandbar-isolated-"));
      String slot = container.getConfig().getLabels().get(ContainerLabels.POOL_SLOT);
      if (slot != null) {
        slots.add(slot);
      }
      volumes.add(dataVolume(container));
    }
    // The pool held two; refills after each claim may have served more of the four.
    assertThat(slots).as("pool containers claimed").hasSizeGreaterThanOrEqualTo(2);
    assertThat(slots).as("no pool container claimed twice").doesNotHaveDuplicates();
    assertThat(volumes).as("every sandbox has a volume of its own").hasSize(4);

    // A spec a pool container cannot become (its own command) is created as before.
    String fresh =
        create("{\"wait\": true, \"command\": [\"sleep\", \"3600\"]}").get("id").asString();
    InspectContainerResponse container = docker.inspectContainerCmd("sandbar-" + fresh).exec();
    assertThat(container.getConfig().getLabels())
        .doesNotContainKey(ContainerLabels.POOL_SLOT)
        .containsEntry(ContainerLabels.SANDBOX_ID, fresh);
    ids.add(fresh);
    for (String id : ids) {
      assertThat(api.call("DELETE", "/v1/sandboxes/" + id, null).status()).isEqualTo(200);
    }
    created.clear();
  }

  @Test
  void shrinkingThePoolRemovesTheExtraContainers() throws Exception {
    start(3);
    Set<String> before = awaitReady(3);

    system
        .bean(WorkflowClient.class)
        .newWorkflowStub(HostPoolWorkflow.class, WorkflowIds.hostPool(hostId))
        .configure(new PoolSettings(hostId, IMAGE, 1, 1));

    long deadline = System.nanoTime() + POOL_BOUND.toNanos();
    while (poolContainers().size() != 1 || readySlots().size() != 1) {
      assertThat(System.nanoTime()).as("pool shrunk to one").isLessThan(deadline);
      SandbarTestSupport.sleep(250);
    }
    assertThat(before).containsAll(readySlots());
  }

  /** Destroys what a failed test left (before the system stops, which empties the pool). */
  @AfterEach
  void destroyLeftovers() {
    for (String id : created) {
      api.call("DELETE", "/v1/sandboxes/" + id, null);
    }
  }

  private JsonNode create(String body) {
    JsonNode sandbox = api.createRunning(body);
    created.add(sandbox.get("id").asString());
    return sandbox;
  }

  private void start(int poolSize) throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-pool-");
    hostId = "pool-" + dataDir.getFileName();
    api =
        system.start(
            dataDir,
            hostId,
            Map.of(
                "sandbar.pool.size",
                Integer.toString(poolSize),
                "sandbar.pool.check-seconds",
                "1",
                "sandbar.reconcile.pass-seconds",
                "2"));
  }

  private JsonNode run(String id, String command, Map<String, String> env) {
    ObjectNode body = JsonNodeFactory.instance.objectNode();
    body.put("command", command);
    body.put("timeoutSeconds", 30);
    ObjectNode vars = body.putObject("env");
    env.forEach(vars::put);
    JsonNode result = api.exec(id, body.toString(), 200).json();
    assertThat(result.get("exitCode").asInt()).as(result.toString()).isZero();
    return result;
  }

  private JsonNode hostView() {
    Response response =
        api.call("GET", "/v1/hosts/" + hostId, SandbarTestSupport.ADMIN_KEY, null, Map.of());
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  /** The slot ids of the host view's ready pool containers. */
  private Set<String> readySlots() {
    Set<String> slots = new HashSet<>();
    for (JsonNode pooled : hostView().get("pool")) {
      if ("ready".equals(pooled.get("state").asString())) {
        slots.add(pooled.get("id").asString());
      }
    }
    return slots;
  }

  private Set<String> awaitReady(int size) {
    long deadline = System.nanoTime() + POOL_BOUND.toNanos();
    while (true) {
      Set<String> slots = readySlots();
      if (slots.size() == size) {
        for (String slot : slots) {
          InspectContainerResponse waiting =
              docker.inspectContainerCmd("sandbar-pool-" + slot).exec();
          assertThat(waiting.getState().getRunning()).isTrue();
          assertThat(waiting.getNetworkSettings().getNetworks())
              .as("an unclaimed pool container shares no network with anyone")
              .isEmpty();
        }
        return slots;
      }
      assertThat(System.nanoTime()).as("pool of " + size + " ready").isLessThan(deadline);
      SandbarTestSupport.sleep(250);
    }
  }

  private void awaitReadyWithout(String dead) {
    long deadline = System.nanoTime() + POOL_BOUND.toNanos();
    while (true) {
      Set<String> slots = readySlots();
      if (slots.size() == 2 && !slots.contains(dead)) {
        return;
      }
      assertThat(System.nanoTime()).as("dead pool container replaced").isLessThan(deadline);
      SandbarTestSupport.sleep(250);
    }
  }

  /** This host's unclaimed pool containers on the daemon. */
  private List<Container> poolContainers() {
    return docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(ContainerLabels.HOST_ID, hostId))
        .exec()
        .stream()
        .filter(c -> c.getLabels().containsKey(ContainerLabels.POOL_SLOT))
        .filter(c -> c.getNames()[0].startsWith("/sandbar-pool-"))
        .toList();
  }

  /** The name of the volume mounted at the data path. */
  private static String dataVolume(InspectContainerResponse container) {
    return container.getMounts().stream()
        .filter(mount -> "/data".equals(mount.getDestination().getPath()))
        .map(InspectContainerResponse.Mount::getName)
        .findFirst()
        .orElseThrow();
  }

  private boolean volumeExists(String name) {
    try {
      docker.inspectVolumeCmd(name).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }
}
