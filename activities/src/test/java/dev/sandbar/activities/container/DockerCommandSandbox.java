package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.HostConfig;
import dev.sandbar.workflows.model.ContainerRef;
import java.util.UUID;

/**
 * A throw-away sandbox container for the command tests: {@code sandbar-base:latest} sleeping, with
 * an init, named the way Sandbar names a sandbox's container.
 */
final class DockerCommandSandbox implements AutoCloseable {

  final String sandboxId;
  final String containerName;
  private final DockerClient docker;

  private DockerCommandSandbox(DockerClient docker, String sandboxId) {
    this.docker = docker;
    this.sandboxId = sandboxId;
    this.containerName = new ContainerRef(sandboxId).containerName();
  }

  /** Creates and starts a fresh sandbox container with the trusted helper, as Sandbar does. */
  static DockerCommandSandbox start(DockerClient docker) {
    return start(docker, true);
  }

  /**
   * Creates and starts a fresh sandbox container; without the helper it is one created before
   * Sandbar mounted it.
   */
  static DockerCommandSandbox start(DockerClient docker, boolean withHelper) {
    HostConfig config = HostConfig.newHostConfig().withInit(true);
    if (withHelper) {
      config = TrustedHelper.atDefaultPath().mountInto(config);
    }
    DockerCommandSandbox sandbox =
        new DockerCommandSandbox(
            docker, "cmdtest-" + UUID.randomUUID().toString().substring(0, 12));
    docker
        .createContainerCmd(DockerTestSupport.IMAGE)
        .withName(sandbox.containerName)
        .withCmd("sleep", "100000")
        .withHostConfig(config)
        .exec();
    docker.startContainerCmd(sandbox.containerName).exec();
    return sandbox;
  }

  void stop() {
    docker.stopContainerCmd(containerName).withTimeout(1).exec();
  }

  @Override
  public void close() {
    try {
      docker.removeContainerCmd(containerName).withForce(true).exec();
    } catch (NotFoundException e) {
      // Already gone.
    }
  }

  /** Runs {@code sh -c script} in the container, the way an operator's docker exec would. */
  DockerTestSupport.ExecResult sh(String script) {
    return DockerTestSupport.exec(docker, containerName, "sh", "-c", script);
  }
}
