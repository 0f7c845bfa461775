package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.activities.container.ContainerLabels;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/** The reconciliation cron against the real system: what happens behind Sandbar's back shows. */
class ReconciliationTest extends EndToEndTest {

  /** A pass every 15 s: a minute is four chances. */
  private static final long PATIENCE_MS = 60_000;

  @Test
  void aContainerKilledBehindSandbarsBackIsStoppedWithTheExitReason() throws Exception {
    String id = api.createRunning("{\"wait\": true}").get("id").asString();

    docker.killContainerCmd("sandbar-" + id).withSignal("KILL").exec();

    long deadline = System.currentTimeMillis() + PATIENCE_MS;
    String state = api.get(id).get("state").asString();
    while (!state.equals("stopped") && System.currentTimeMillis() < deadline) {
      Thread.sleep(250);
      state = api.get(id).get("state").asString();
    }
    assertThat(state).isEqualTo("stopped");
    api.assertStoppedByReconcileOnExit(id);
    // Adopted, so the user can start it again as usual.
    assertThat(api.operate(id, "start").get("state").asString()).isEqualTo("running");
    api.call("DELETE", "/v1/sandboxes/" + id, null);
  }

  @Test
  void aZombieIsRemovedAndAnUnclaimedContainerWithAVolumeIsKept() throws Exception {
    String live = api.createRunning("{\"wait\": true}").get("id").asString();
    String destroyed = api.createRunning("{\"wait\": true}").get("id").asString();
    assertThat(api.call("DELETE", "/v1/sandboxes/" + destroyed, null).status()).isLessThan(300);
    Map<String, String> labels =
        docker.inspectContainerCmd("sandbar-" + live).exec().getConfig().getLabels();
    String unknown = "sbx-unclaimed-" + UUID.randomUUID().toString().substring(0, 8);
    // A destroyed sandbox's container come back (its destroy's last step lost), and a container
    // with a data volume whose sandbox the database never heard of.
    createLike(labels, destroyed, "sandbar-" + destroyed);
    docker
        .createVolumeCmd()
        .withName("sandbar-data-" + unknown)
        .withLabels(relabel(labels, unknown))
        .exec();
    createLike(labels, unknown, "sandbar-" + unknown);
    try {
      long deadline = System.currentTimeMillis() + PATIENCE_MS;
      while (exists("sandbar-" + destroyed) && System.currentTimeMillis() < deadline) {
        Thread.sleep(250);
      }
      assertThat(exists("sandbar-" + destroyed)).as("zombie removed").isFalse();
      assertThat(exists("sandbar-" + unknown)).as("unclaimed with a volume kept").isTrue();
    } finally {
      docker.removeContainerCmd("sandbar-" + unknown).withForce(true).exec();
      docker.removeVolumeCmd("sandbar-data-" + unknown).exec();
      api.call("DELETE", "/v1/sandboxes/" + live, null);
    }
  }

  private static Map<String, String> relabel(Map<String, String> labels, String sandboxId) {
    Map<String, String> copy = new HashMap<>(labels);
    copy.put(ContainerLabels.SANDBOX_ID, sandboxId);
    return copy;
  }

  private void createLike(Map<String, String> labels, String sandboxId, String name) {
    docker
        .createContainerCmd(DockerDaemonExtension.IMAGE)
        .withName(name)
        .withCmd("sleep", "infinity")
        .withLabels(relabel(labels, sandboxId))
        .exec();
  }

  private boolean exists(String name) {
    try {
      docker.inspectContainerCmd(name).exec();
      return true;
    } catch (NotFoundException gone) {
      return false;
    }
  }
}
