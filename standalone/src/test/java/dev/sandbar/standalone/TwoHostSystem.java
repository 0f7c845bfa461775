package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.sandbar.activities.container.ContainerLabels;
import dev.sandbar.activities.container.DockerClients;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.store.installation.InstallationDao;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Predicate;
import java.util.stream.Stream;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import tools.jackson.databind.JsonNode;

/**
 * Two hosts on two real Docker daemons of this machine, shared by a test class: a standalone system
 * (embedded Temporal and PostgreSQL, the API, the worker of host {@code a} on the first daemon) and
 * a second {@code WorkerApplication} (host {@code b}) on the daemon that {@link SecondDockerDaemon}
 * starts. Host {@code a} is labelled {@code mh=a} and host {@code b} {@code mh=b}, so a test can
 * place a sandbox on either. Reconciliation passes every {@value #PASS_SECONDS} s, and an unclaimed
 * container without a volume may be removed after {@value #UNCLAIMED_SAFETY_SECONDS} s.
 *
 * <p>After the class, the workers stop and every container and volume of this installation (and
 * every one a test {@linkplain #track tracked}) is removed from both daemons.
 *
 * @see dev.sandbar.worker.WorkerApplication
 */
final class TwoHostSystem implements BeforeAllCallback, AfterAllCallback {

  static final int PASS_SECONDS = 2;
  static final int UNCLAIMED_SAFETY_SECONDS = 1;
  static final String LABEL = "mh";

  /** The deployment's shared secret between the API and the workers' files endpoints. */
  static final String WORKER_TOKEN = "two-host-worker-token-0123456789";

  private final StandaloneSystem system = new StandaloneSystem();
  private final List<String> tracked = new ArrayList<>();
  private Path dataDir;
  private SandbarTestSupport api;
  private SecondWorker workerB;
  private DockerClient dockerA;
  private DockerClient dockerB;
  private String hostA;
  private String installationId;

  @Override
  public void beforeAll(ExtensionContext context) throws IOException {
    URI secondDaemon = SecondDockerDaemon.ensureRunning();
    dockerA = DockerClients.create(DockerClients.dockerHostFromEnvironment());
    DockerClients.ping(dockerA);
    dockerB = SecondDockerDaemon.connect(secondDaemon);
    dataDir = Files.createTempDirectory("sandbar-multihost-");
    String suffix = dataDir.getFileName().toString().replaceAll("[^A-Za-z0-9]", "");
    hostA = "mh-a-" + suffix;
    Map<String, Object> reconcile =
        Map.of(
            "sandbar.reconcile.pass-seconds", PASS_SECONDS,
            "sandbar.reconcile.unclaimed-safety-seconds", UNCLAIMED_SAFETY_SECONDS);
    Map<String, Object> propertiesA = new HashMap<>(reconcile);
    propertiesA.put("sandbar.worker.labels", LABEL + "=a");
    propertiesA.put("sandbar.worker.token", WORKER_TOKEN);
    api = system.start(dataDir, hostA, propertiesA);
    Map<String, Object> propertiesB = new HashMap<>(reconcile);
    propertiesB.put("sandbar.worker.labels", LABEL + "=b");
    // Host b serves its sandboxes' files to the API, as a second machine's worker would.
    propertiesB.put("sandbar.worker.token", WORKER_TOKEN);
    propertiesB.put("sandbar.worker.files-port", "0");
    propertiesB.put("sandbar.worker.files-bind-address", "127.0.0.1");
    workerB =
        SecondWorker.start(
            system.bean(EmbeddedServices.class),
            "mh-b-" + suffix,
            secondDaemon,
            dataDir,
            propertiesB);
    installationId = system.bean(Jdbi.class).onDemand(InstallationDao.class).find().orElseThrow();
  }

  @Override
  public void afterAll(ExtensionContext context) throws IOException {
    try {
      if (workerB != null) {
        workerB.close();
      }
    } finally {
      system.stop();
      for (DockerClient docker : new DockerClient[] {dockerA, dockerB}) {
        if (docker != null) {
          removeLeftovers(docker);
          docker.close();
        }
      }
      deleteQuietly(dataDir);
    }
  }

  SandbarTestSupport api() {
    return api;
  }

  SecondWorker workerB() {
    return workerB;
  }

  String hostA() {
    return hostA;
  }

  String hostB() {
    return workerB.hostId();
  }

  DockerClient dockerA() {
    return dockerA;
  }

  DockerClient dockerB() {
    return dockerB;
  }

  /** The Docker daemon behind {@code hostId}. */
  DockerClient docker(String hostId) {
    return hostId.equals(hostA) ? dockerA : dockerB;
  }

  String installationId() {
    return installationId;
  }

  /** Rewrites the endpoint the read model holds for the host, as a moved worker would. */
  void setFilesEndpoint(String hostId, String url) {
    system
        .bean(Jdbi.class)
        .useHandle(
            h ->
                h.createUpdate("update hosts set files_url = :url where id = :id")
                    .bind("url", url)
                    .bind("id", hostId)
                    .execute());
  }

  /** The API's port. */
  int apiPort() {
    return Integer.parseInt(
        system
            .bean(org.springframework.core.env.Environment.class)
            .getProperty("local.server.port"));
  }

  /** The files endpoint the host's worker advertises in the read model. */
  String filesEndpoint(String hostId) {
    return system
        .bean(Jdbi.class)
        .withHandle(
            h ->
                h.createQuery("select files_url from hosts where id = :id")
                    .bind("id", hostId)
                    .mapTo(String.class)
                    .one());
  }

  /** A container (by name) a test made itself, removed after the class if still there. */
  void track(String containerName) {
    tracked.add(containerName);
  }

  /** Creates a running sandbox on host {@code a} or {@code b}; answers its id. */
  String createOn(String hostLabel) {
    JsonNode created =
        api.createRunning(
            "{\"wait\": true, \"hostSelector\": {\"" + LABEL + "\": \"" + hostLabel + "\"}}");
    return created.get("id").asString();
  }

  /** Destroys the sandboxes, asserting that each is gone (already destroyed counts). */
  void destroy(List<String> ids) {
    for (String id : ids) {
      Response destroyed = api.call("DELETE", "/v1/sandboxes/" + id, null);
      assertThat(destroyed.status()).as(destroyed.body()).isLessThan(300);
    }
  }

  Response admin(String method, String path) {
    return api.call(method, path, SandbarTestSupport.ADMIN_KEY, null, Map.of());
  }

  JsonNode host(String hostId) {
    Response response = admin("GET", "/v1/hosts/" + hostId);
    assertThat(response.status()).as(response.body()).isEqualTo(200);
    return response.json();
  }

  /** Polls (without asserting any duration) until the host matches, or fails after a bound. */
  JsonNode awaitHost(String hostId, Predicate<JsonNode> condition, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    JsonNode last = host(hostId);
    while (!condition.test(last)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("host " + hostId + " never matched; last: " + last);
      }
      SandbarTestSupport.sleep(200);
      last = host(hostId);
    }
    return last;
  }

  /** Polls until {@code check} holds, or fails with {@code what} after a bound. */
  static void await(String what, BooleanSupplier check, Duration bound) {
    long deadline = System.nanoTime() + bound.toNanos();
    while (!check.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("never happened: " + what);
      }
      SandbarTestSupport.sleep(200);
    }
  }

  static boolean containerExists(DockerClient docker, String name) {
    try {
      docker.inspectContainerCmd(name).exec();
      return true;
    } catch (NotFoundException gone) {
      return false;
    }
  }

  private void removeLeftovers(DockerClient docker) {
    List<Container> ours =
        installationId == null
            ? List.of()
            : docker
                .listContainersCmd()
                .withShowAll(true)
                .withLabelFilter(Map.of(ContainerLabels.INSTALLATION, installationId))
                .exec();
    for (Container container : ours) {
      docker.removeContainerCmd(container.getId()).withForce(true).withRemoveVolumes(true).exec();
    }
    for (String name : tracked) {
      if (containerExists(docker, name)) {
        docker.removeContainerCmd(name).withForce(true).exec();
      }
    }
    if (installationId != null) {
      docker
          .listVolumesCmd()
          .withFilter("label", List.of(ContainerLabels.INSTALLATION + "=" + installationId))
          .exec()
          .getVolumes()
          .forEach(volume -> docker.removeVolumeCmd(volume.getName()).exec());
    }
  }

  private static void deleteQuietly(Path dir) {
    if (dir == null) {
      return;
    }
    try (Stream<Path> paths = Files.walk(dir)) {
      paths
          .sorted(Comparator.reverseOrder())
          .forEach(
              path -> {
                try {
                  Files.deleteIfExists(path);
                } catch (IOException ignored) {
                  // A temporary directory: what cannot be deleted now the OS cleans later.
                }
              });
    } catch (IOException | UncheckedIOException ignored) {
      // As above.
    }
  }
}
