package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.StreamType;
import dev.sandbar.workflows.model.ContainerRef;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away sandbox container for the command tests: {@code sandbar-base:latest} sleeping, with
 * an init, named the way Sandbar names a sandbox's container. A missing daemon or image fails the
 * test with the command that fixes it; these tests are never skipped.
 */
final class DockerCommandSandbox implements AutoCloseable {

  static final String IMAGE = "sandbar-base:latest";

  final String sandboxId;
  final String containerName;
  private final DockerClient docker;

  private DockerCommandSandbox(DockerClient docker, String sandboxId) {
    this.docker = docker;
    this.sandboxId = sandboxId;
    this.containerName = new ContainerRef(sandboxId).containerName();
  }

  /** A client for the local daemon, after checking that it answers and has the base image. */
  static DockerClient connect() {
    DockerClient client = DockerClients.create();
    try {
      DockerClients.ping(client);
    } catch (DockerOperationException e) {
      throw new AssertionError(
          "Docker is not reachable at "
              + DockerClients.dockerHostFromEnvironment()
              + ": run `source scripts/setup.sh` (starts dockerd). Cause: "
              + e.getMessage(),
          e);
    }
    try {
      client.inspectImageCmd(IMAGE).exec();
    } catch (NotFoundException e) {
      throw new AssertionError(
          "Docker image " + IMAGE + " is missing: run `source scripts/setup.sh` (builds it)", e);
    }
    return client;
  }

  /** Creates and starts a fresh sandbox container. */
  static DockerCommandSandbox start(DockerClient docker) {
    DockerCommandSandbox sandbox =
        new DockerCommandSandbox(
            docker, "cmdtest-" + UUID.randomUUID().toString().substring(0, 12));
    docker
        .createContainerCmd(IMAGE)
        .withName(sandbox.containerName)
        .withCmd("sleep", "100000")
        .withHostConfig(HostConfig.newHostConfig().withInit(true))
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

  /** Output of a command an operator ran with {@code docker exec}. */
  record Ran(long exitCode, byte[] stdout, String stderr) {
    String out() {
      return new String(stdout, StandardCharsets.UTF_8);
    }
  }

  /** Runs {@code sh -c script} in the container, the way an operator's docker exec would. */
  Ran sh(String script) {
    String id =
        docker
            .execCreateCmd(containerName)
            .withCmd("sh", "-c", script)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    try (var callback =
        docker
            .execStartCmd(id)
            .exec(
                new ResultCallback.Adapter<Frame>() {
                  @Override
                  public void onNext(Frame frame) {
                    (frame.getStreamType() == StreamType.STDERR ? err : out)
                        .writeBytes(frame.getPayload());
                  }
                })) {
      if (!callback.awaitCompletion(60, TimeUnit.SECONDS)) {
        throw new AssertionError("docker exec " + script + " did not finish");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    } catch (IOException e) {
      throw new AssertionError("exec stream failed", e);
    }
    Long code = null;
    for (int i = 0; i < 100 && code == null; i++) {
      code = docker.inspectExecCmd(id).exec().getExitCodeLong();
      if (code == null) {
        try {
          Thread.sleep(20);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          throw new AssertionError("interrupted", e);
        }
      }
    }
    return new Ran(
        code == null ? -1 : code, out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }
}
