package dev.sandbar.standalone;

import static dev.sandbar.standalone.TwoHostSystem.await;
import static dev.sandbar.standalone.TwoHostSystem.containerExists;
import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.container.ContainerLabels;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import tools.jackson.databind.JsonNode;

/**
 * Two hosts on two real Docker daemons of this machine, each with its own worker: placement,
 * dead-host detection by the listing's timeouts and the host's return, reconciliation of what
 * happens on the second daemon behind Sandbar's back, drain and evacuation. One system for the
 * class; every test leaves both hosts online, undrained and empty of its sandboxes.
 */
class MultiHostTest {

  /** Generous: a pass every 2 s, a dead host's listing waits out a 10 s pickup timeout. */
  private static final Duration PATIENCE = Duration.ofSeconds(90);

  @RegisterExtension static final TwoHostSystem hosts = new TwoHostSystem();

  private final SandbarTestSupport api = hosts.api();

  @Test
  void placementSpreadsSandboxesOverBothHosts() {
    List<String> ids = new ArrayList<>();
    try {
      Map<String, Integer> perHost = new HashMap<>();
      for (int i = 0; i < 4; i++) {
        JsonNode created = api.createRunning("{\"wait\": true}");
        ids.add(created.get("id").asString());
        perHost.merge(created.get("hostId").asString(), 1, Integer::sum);
      }
      // Least allocated first: equal hosts, equal sandboxes, so they alternate.
      assertThat(perHost).containsOnlyKeys(hosts.hostA(), hosts.hostB());
      assertThat(perHost.values()).containsOnly(2);
      for (String id : ids) {
        String host = api.get(id).get("hostId").asString();
        String other = host.equals(hosts.hostA()) ? hosts.hostB() : hosts.hostA();
        assertThat(running(hosts.docker(host), id)).as(id + " runs on " + host).isTrue();
        assertThat(containerExists(hosts.docker(other), "sandbar-" + id)).isFalse();
      }
    } finally {
      hosts.destroy(ids);
    }
  }

  @Test
  void aHostWhoseWorkerDiesIsUnreachableAndItsSandboxesMissingUntilItReturns() {
    List<String> ids = new ArrayList<>();
    String hostB = hosts.hostB();
    try {
      String running = hosts.createOn("b");
      ids.add(running);
      String paused = hosts.createOn("b");
      ids.add(paused);
      assertThat(api.operate(paused, "pause").get("state").asString()).isEqualTo("paused");
      String killedMeanwhile = hosts.createOn("b");
      ids.add(killedMeanwhile);
      String onA = hosts.createOn("a");
      ids.add(onA);

      long diedAt = System.nanoTime();
      hosts.workerB().kill();

      hosts.awaitHost(hostB, h -> h.get("state").asString().equals("unreachable"), PATIENCE);
      for (String id : List.of(running, paused, killedMeanwhile)) {
        api.awaitSandbox(id, state("missing"), PATIENCE);
      }
      // Printed, not asserted: how long detection took here (a 2 s pass, a 10 s pickup timeout).
      System.out.printf(
          "host b unreachable, its sandboxes missing, %d ms after its worker died%n",
          (System.nanoTime() - diedAt) / 1_000_000);
      assertThat(api.get(onA).get("state").asString()).isEqualTo("running");
      assertThat(hostEvents(hostB))
          .anySatisfy(
              event -> {
                assertThat(event.get("action").asString()).isEqualTo("host-unreachable");
                assertThat(event.get("actor").asString()).isEqualTo("system");
                assertThat(event.get("reason").asString()).contains("timeout");
              });
      assertThat(api.events(running))
          .anySatisfy(
              event -> {
                assertThat(event.get("toState").asString()).isEqualTo("missing");
                assertThat(event.get("actor").asString()).isEqualTo("system");
                assertThat(event.get("reason").asString()).contains("unreachable");
              });
      // While nobody watches the host, one of its containers dies.
      hosts.dockerB().killContainerCmd("sandbar-" + killedMeanwhile).withSignal("KILL").exec();

      long revivedAt = System.nanoTime();
      hosts.workerB().revive();

      hosts.awaitHost(hostB, h -> h.get("state").asString().equals("online"), PATIENCE);
      api.awaitSandbox(running, state("running"), PATIENCE);
      api.awaitSandbox(paused, state("paused"), PATIENCE);
      api.awaitSandbox(killedMeanwhile, state("stopped"), PATIENCE);
      System.out.printf(
          "host b online, its sandboxes back, %d ms after its worker returned%n",
          (System.nanoTime() - revivedAt) / 1_000_000);
      assertThat(hostEvents(hostB))
          .anySatisfy(
              event -> assertThat(event.get("action").asString()).isEqualTo("host-reachable"));
    } finally {
      hosts.workerB().revive();
      hosts.destroy(ids);
    }
  }

  @Test
  void aContainerKilledOnTheSecondHostBehindSandbarsBackIsStoppedWithTheExitReason() {
    String id = hosts.createOn("b");
    try {
      hosts.dockerB().killContainerCmd("sandbar-" + id).withSignal("KILL").exec();

      api.awaitSandbox(id, state("stopped"), PATIENCE);
      api.assertStoppedByReconcileOnExit(id);
      // Adopted where it is: it starts again on its host.
      assertThat(api.operate(id, "start").get("state").asString()).isEqualTo("running");
      assertThat(running(hosts.dockerB(), id)).isTrue();
    } finally {
      hosts.destroy(List.of(id));
    }
  }

  @Test
  void zombiesAndOldUnclaimedContainersGoButAForeignInstallationsContainersStay() {
    DockerClient docker = hosts.dockerB();
    String destroyed = hosts.createOn("b");
    Map<String, String> labels =
        docker.inspectContainerCmd("sandbar-" + destroyed).exec().getConfig().getLabels();
    hosts.destroy(List.of(destroyed));
    String unknown = "sbx-unknown-" + UUID.randomUUID().toString().substring(0, 8);
    String foreignInstallation = UUID.randomUUID().toString();
    // Another installation's containers, which would be a zombie and an old unclaimed container
    // if they were this installation's: Sandbar must never see them.
    String foreignZombie = "sandbar-foreign-" + destroyed;
    String foreignUnclaimed = "sandbar-foreign-" + unknown;
    hosts.track(foreignZombie);
    hosts.track(foreignUnclaimed);
    create(docker, foreignZombie, relabel(labels, destroyed, foreignInstallation));
    create(docker, foreignUnclaimed, relabel(labels, unknown, foreignInstallation));
    // This installation's: a destroyed sandbox's container come back (the destroy's last step
    // lost), and a container without a volume whose sandbox the database never heard of.
    String installation = hosts.installationId();
    hosts.track("sandbar-" + destroyed);
    hosts.track("sandbar-" + unknown);
    create(docker, "sandbar-" + destroyed, relabel(labels, destroyed, installation));
    create(docker, "sandbar-" + unknown, relabel(labels, unknown, installation));

    await("zombie removed", () -> !containerExists(docker, "sandbar-" + destroyed), PATIENCE);
    await(
        "unclaimed container older than the safety age removed",
        () -> !containerExists(docker, "sandbar-" + unknown),
        PATIENCE);

    assertThat(containerExists(docker, foreignZombie)).as("foreign 'zombie' untouched").isTrue();
    assertThat(containerExists(docker, foreignUnclaimed))
        .as("foreign 'unclaimed' untouched")
        .isTrue();
    // Each removal is audited just after it (a step of its own): polled, not read once.
    await(
        "zombie removal in the sandbox's audit trail, as the system's",
        () ->
            api.events(destroyed).stream()
                .anyMatch(
                    event ->
                        event.get("action").asString().equals("remove-zombie")
                            && event.get("actor").asString().equals("system")),
        PATIENCE);
    await(
        "unclaimed container's removal in the host's audit trail",
        () ->
            hostEvents(hosts.hostB()).stream()
                .anyMatch(
                    event ->
                        event.get("action").asString().equals("remove-unclaimed")
                            && event.get("reason").asString().contains(unknown)),
        PATIENCE);
  }

  @Test
  void aDrainedHostTakesNoNewSandboxesUntilUndrained() {
    List<String> ids = new ArrayList<>();
    String hostB = hosts.hostB();
    try {
      String existing = hosts.createOn("b");
      ids.add(existing);
      Response drained = hosts.admin("POST", "/v1/hosts/" + hostB + "/drain");
      assertThat(drained.status()).as(drained.body()).isEqualTo(200);
      assertThat(drained.json().get("state").asString()).isEqualTo("draining");

      for (int i = 0; i < 3; i++) {
        JsonNode created = api.createRunning("{\"wait\": true}");
        ids.add(created.get("id").asString());
        assertThat(created.get("hostId").asString()).isEqualTo(hosts.hostA());
      }
      Response refused =
          api.call(
              "POST",
              "/v1/sandboxes",
              "{\"wait\": true, \"hostSelector\": {\"" + TwoHostSystem.LABEL + "\": \"b\"}}");
      assertThat(refused.status()).as(refused.body()).isEqualTo(503);
      assertThat(api.get(existing).get("state").asString()).isEqualTo("running");
      assertThat(running(hosts.dockerB(), existing)).isTrue();

      Response undrained = hosts.admin("POST", "/v1/hosts/" + hostB + "/undrain");
      assertThat(undrained.json().get("state").asString()).isEqualTo("online");
      String again = hosts.createOn("b");
      ids.add(again);
      assertThat(api.get(again).get("hostId").asString()).isEqualTo(hostB);
    } finally {
      hosts.admin("POST", "/v1/hosts/" + hostB + "/undrain");
      hosts.destroy(ids);
    }
  }

  @Test
  void evacuationMovesRunningPausedAndStoppedSandboxesWithTheirDataAndStopsAPinnedOne() {
    List<String> ids = new ArrayList<>();
    String hostA = hosts.hostA();
    String hostB = hosts.hostB();
    try {
      Map<String, String> wanted = new HashMap<>();
      // Unpinned sandboxes on b, which may go anywhere: created while a is drained.
      assertThat(hosts.admin("POST", "/v1/hosts/" + hostA + "/drain").status()).isEqualTo(200);
      for (String state : List.of("running", "paused", "stopped")) {
        JsonNode created = api.createRunning("{\"wait\": true}");
        String id = created.get("id").asString();
        ids.add(id);
        assertThat(created.get("hostId").asString()).isEqualTo(hostB);
        Shell.run(hosts.dockerB(), "sandbar-" + id, "echo " + id + " > /data/moved");
        if (!state.equals("running")) {
          String operation = state.equals("paused") ? "pause" : "stop";
          assertThat(api.operate(id, operation).get("state").asString()).isEqualTo(state);
        }
        wanted.put(id, state);
      }
      assertThat(hosts.admin("POST", "/v1/hosts/" + hostA + "/undrain").status()).isEqualTo(200);
      // Pinned to b by its hostSelector: it cannot move, so it is stopped, its data kept.
      String pinned = hosts.createOn("b");
      ids.add(pinned);

      Response drained = hosts.admin("POST", "/v1/hosts/" + hostB + "/drain?evacuate=true");

      assertThat(drained.status()).as(drained.body()).isEqualTo(200);
      List<JsonNode> outcomes = drained.json().get("evacuated").valueStream().toList();
      assertThat(outcomes).as(drained.body()).hasSize(4);
      for (JsonNode outcome : outcomes) {
        String id = outcome.get("sandboxId").asString();
        if (id.equals(pinned)) {
          assertThat(outcome.get("outcome").asString()).as(outcome.toString()).isEqualTo("stopped");
          assertThat(outcome.get("reason").asString()).contains("hostSelector");
          continue;
        }
        assertThat(outcome.get("outcome").asString()).as(outcome.toString()).isEqualTo("moved");
        assertThat(outcome.get("hostId").asString()).isEqualTo(hostA);
        assertThat(outcome.get("state").asString()).isEqualTo(wanted.get(id));
      }
      for (String id : wanted.keySet()) {
        JsonNode sandbox = api.get(id);
        assertThat(sandbox.get("state").asString()).isEqualTo(wanted.get(id));
        assertThat(sandbox.get("hostId").asString()).isEqualTo(hostA);
        assertThat(DockerDaemonExtension.containersOf(hosts.dockerB(), id)).as(id).isEmpty();
        assertThat(DockerDaemonExtension.containersOf(hosts.dockerA(), id)).as(id).hasSize(1);
        if (wanted.get(id).equals("paused")) {
          assertThat(api.operate(id, "resume").get("state").asString()).isEqualTo("running");
        } else if (wanted.get(id).equals("stopped")) {
          assertThat(api.operate(id, "start").get("state").asString()).isEqualTo("running");
        }
        assertThat(Shell.run(hosts.dockerA(), "sandbar-" + id, "cat /data/moved"))
            .as("data of " + id)
            .isEqualTo(id + "\n");
      }
      assertThat(api.get(pinned).get("state").asString()).isEqualTo("stopped");
      assertThat(api.events(pinned))
          .anySatisfy(
              event -> {
                assertThat(event.get("toState").asString()).isEqualTo("stopped");
                assertThat(event.get("reason").asString()).contains("could not move");
              });
    } finally {
      hosts.admin("POST", "/v1/hosts/" + hostA + "/undrain");
      hosts.admin("POST", "/v1/hosts/" + hostB + "/undrain");
      hosts.destroy(ids);
    }
  }

  private static Predicate<JsonNode> state(String state) {
    return sandbox -> sandbox.get("state").asString().equals(state);
  }

  private List<JsonNode> hostEvents(String hostId) {
    Response events = hosts.admin("GET", "/v1/hosts/" + hostId + "/events");
    assertThat(events.status()).as(events.body()).isEqualTo(200);
    return events.json().get("items").valueStream().toList();
  }

  private static boolean running(DockerClient docker, String sandboxId) {
    return Boolean.TRUE.equals(
        docker.inspectContainerCmd("sandbar-" + sandboxId).exec().getState().getRunning());
  }

  private static Map<String, String> relabel(
      Map<String, String> labels, String sandboxId, String installation) {
    Map<String, String> copy = new HashMap<>(labels);
    copy.put(ContainerLabels.SANDBOX_ID, sandboxId);
    copy.put(ContainerLabels.INSTALLATION, installation);
    return copy;
  }

  private static void create(DockerClient docker, String name, Map<String, String> labels) {
    docker
        .createContainerCmd(DockerDaemonExtension.IMAGE)
        .withName(name)
        .withCmd("sleep", "infinity")
        .withLabels(labels)
        .exec();
  }
}
