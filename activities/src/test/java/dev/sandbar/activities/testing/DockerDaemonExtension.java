package dev.sandbar.activities.testing;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.sandbar.activities.container.ContainerLabels;
import dev.sandbar.activities.container.DockerClients;
import dev.sandbar.activities.container.DockerOperationException;
import java.net.URI;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension for tests against the real local Docker daemon, shared by every module's tests
 * (the activities test-jar): connects once per test class, checking that the daemon answers and has
 * {@link #IMAGE} (a missing one fails the class with the command that fixes it; these tests are
 * never skipped), hands the client to any {@link DockerClient} parameter (the test's constructor)
 * and closes it after the class.
 */
public final class DockerDaemonExtension
    implements BeforeAllCallback, AfterAllCallback, ParameterResolver {

  /** The base image every sandbox test runs; {@code scripts/setup.sh} builds it. */
  public static final String IMAGE = "sandbar-base:latest";

  private static final URI DOCKER_HOST = DockerClients.dockerHostFromEnvironment();
  private static final ExtensionContext.Namespace NAMESPACE =
      ExtensionContext.Namespace.create(DockerDaemonExtension.class);

  @Override
  public void beforeAll(ExtensionContext context) {
    context.getStore(NAMESPACE).put(DockerClient.class, connect());
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    DockerClient client =
        context.getStore(NAMESPACE).remove(DockerClient.class, DockerClient.class);
    if (client != null) {
      client.close();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == DockerClient.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    DockerClient client = context.getStore(NAMESPACE).get(DockerClient.class, DockerClient.class);
    if (client == null) {
      throw new ParameterResolutionException("no Docker client: the daemon was not connected");
    }
    return client;
  }

  /**
   * Every container, running or not, of {@code sandboxId}: labelled with it, or (claimed from the
   * warm pool) named for it.
   */
  public static List<Container> containersOf(DockerClient docker, String sandboxId) {
    Map<String, Container> found = new LinkedHashMap<>();
    docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(ContainerLabels.SANDBOX_ID, sandboxId))
        .exec()
        .forEach(c -> found.put(c.getId(), c));
    // A sandbox claimed from the warm pool carries the pool's labels and the sandbox's name.
    docker
        .listContainersCmd()
        .withShowAll(true)
        .withNameFilter(List.of("^/sandbar-" + sandboxId + "$"))
        .withLabelFilter(Map.of(ContainerLabels.MANAGED, "true"))
        .exec()
        .stream()
        .filter(c -> c.getLabels() != null && c.getLabels().containsKey(ContainerLabels.POOL_SLOT))
        .forEach(c -> found.put(c.getId(), c));
    return List.copyOf(found.values());
  }

  /** A client for the local daemon, after checking that it answers and has the base image. */
  private static DockerClient connect() {
    DockerClient client = DockerClients.create(DOCKER_HOST);
    try {
      DockerClients.ping(client);
    } catch (DockerOperationException e) {
      throw new AssertionError(
          "Docker is not reachable at "
              + DOCKER_HOST
              + ": run `source scripts/setup.sh` (starts dockerd). Cause: "
              + e.getMessage(),
          e);
    }
    try {
      client.inspectImageCmd(IMAGE).exec();
    } catch (NotFoundException e) {
      throw new AssertionError(
          "Docker image "
              + IMAGE
              + " is missing at "
              + DOCKER_HOST
              + ": run `source scripts/setup.sh` (builds it)",
          e);
    }
    return client;
  }
}
