package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.api.testing.ApiClient.Response;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Placement counts requests, not limits: on this 2-core machine 40 default sandboxes (1 CPU limit,
 * 50 millicores requested each) run at once. A system of its own, so no other test's sandboxes hold
 * room on the host.
 */
@ExtendWith(DockerDaemonExtension.class)
class PlacementCapacityTest {

  private static final int SANDBOXES = 40;
  private static final double DEFAULT_CPU_REQUEST = 0.05;

  private final DockerClient docker;
  @RegisterExtension final StandaloneSystem system = new StandaloneSystem();

  PlacementCapacityTest(DockerClient docker) {
    this.docker = docker;
  }

  @Test
  void fortyDefaultSandboxesRunAtOnce() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-capacity-");
    String hostId = "capacity-" + dataDir.getFileName();
    SandbarTestSupport api = start(dataDir, hostId);
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<String> ids = new ArrayList<>();
    try {
      List<Future<String>> created = new ArrayList<>();
      for (int i = 0; i < SANDBOXES; i++) {
        created.add(pool.submit(() -> api.createRunning("{\"wait\": true}").get("id").asString()));
      }
      for (Future<String> id : created) {
        ids.add(id.get());
      }

      for (String id : ids) {
        assertThat(api.get(id).get("state").asString()).isEqualTo("running");
        assertThat(docker.inspectContainerCmd("sandbar-" + id).exec().getState().getRunning())
            .as(id)
            .isTrue();
      }
      assertThat(
              docker
                  .inspectContainerCmd("sandbar-" + ids.getFirst())
                  .exec()
                  .getConfig()
                  .getLabels())
          .hasEntrySatisfying("sandbar.installation", value -> assertThat(value).isNotBlank());
      double cpus =
          api.call("GET", "/v1/hosts/" + hostId, SandbarTestSupport.ADMIN_KEY, null, Map.of())
              .json()
              .get("cpus")
              .asDouble();
      if ((SANDBOXES + 1) * DEFAULT_CPU_REQUEST > cpus + 1e-9) {
        // On this machine the CPU requests are what binds: the next one is refused, and says why.
        Response refused = api.call("POST", "/v1/sandboxes", "{}");
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.json().get("detail").asString())
            .isEqualTo("no online host with room for 0.05 requested CPUs");
      }
    } finally {
      List<Future<Integer>> destroyed = new ArrayList<>();
      for (String id : ids) {
        destroyed.add(pool.submit(() -> api.call("DELETE", "/v1/sandboxes/" + id, null).status()));
      }
      for (Future<Integer> status : destroyed) {
        assertThat(status.get()).isEqualTo(200);
      }
      pool.shutdownNow();
    }
  }

  private SandbarTestSupport start(Path dataDir, String hostId) {
    return system.start(dataDir, hostId);
  }
}
