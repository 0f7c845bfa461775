package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * Shared plumbing for tests that talk to the real Docker daemon, which {@link
 * DockerDaemonExtension} connects.
 */
final class DockerTestSupport {

  static final String IMAGE = DockerDaemonExtension.IMAGE;

  private DockerTestSupport() {}

  /**
   * A spec of the test image with defaults, on {@code networkMode}, running the image's command.
   */
  static SandboxSpec spec(String networkMode) {
    return spec(networkMode, List.of(), false, null);
  }

  /** A spec of the test image with defaults and the given network, command, root and user. */
  static SandboxSpec spec(
      String networkMode, List<String> command, boolean readOnlyRootFilesystem, String user) {
    return new SandboxSpec(
        IMAGE,
        command,
        Map.of(),
        Map.of(),
        Resources.DEFAULT,
        0,
        IdleAction.PAUSE,
        0,
        "/data",
        networkMode,
        null,
        List.of(),
        null,
        null,
        readOnlyRootFilesystem,
        user);
  }

  /** A sandbox id no other test run uses, so parallel builds on one daemon never collide. */
  static String randomSandboxId() {
    return "test-" + UUID.randomUUID().toString().substring(0, 12);
  }

  /** Removes every network of {@code installation}, which a test made for itself. */
  static void removeNetworksOf(DockerClient docker, String installation) {
    for (var network :
        docker
            .listNetworksCmd()
            .withFilter("label", List.of(ContainerLabels.INSTALLATION + "=" + installation))
            .exec()) {
      try {
        docker.removeNetworkCmd(network.getId()).exec();
      } catch (NotFoundException e) {
        // Already gone.
      }
    }
  }

  /** Removes every container and volume labelled with the sandbox id, and the named ones. */
  static void removeAllOf(DockerClient docker, String sandboxId) {
    Map<String, String> label = Map.of(ContainerLabels.SANDBOX_ID, sandboxId);
    List<Container> containers =
        docker.listContainersCmd().withShowAll(true).withLabelFilter(label).exec();
    for (Container c : containers) {
      removeContainerQuietly(docker, c.getId());
    }
    removeContainerQuietly(docker, "sandbar-" + sandboxId);
    var volumes =
        docker
            .listVolumesCmd()
            .withFilter("label", List.of(ContainerLabels.SANDBOX_ID + "=" + sandboxId))
            .exec()
            .getVolumes();
    if (volumes != null) {
      volumes.forEach(v -> removeVolumeQuietly(docker, v.getName()));
    }
    removeVolumeQuietly(docker, "sandbar-data-" + sandboxId);
  }

  private static void removeContainerQuietly(DockerClient docker, String nameOrId) {
    try {
      docker.removeContainerCmd(nameOrId).withForce(true).exec();
    } catch (NotFoundException e) {
      // Already gone.
    }
  }

  private static void removeVolumeQuietly(DockerClient docker, String name) {
    try {
      docker.removeVolumeCmd(name).exec();
    } catch (NotFoundException e) {
      // Already gone.
    }
  }

  /** Output of a command run in a running container. */
  record ExecResult(long exitCode, byte[] stdoutBytes, String stderr) {
    String stdout() {
      return new String(stdoutBytes, StandardCharsets.UTF_8);
    }
  }

  /** Runs a command in the container and waits for it, the way an operator's docker exec would. */
  static ExecResult exec(DockerClient docker, String containerId, String... command) {
    String id =
        docker
            .execCreateCmd(containerId)
            .withCmd(command)
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
        throw new AssertionError("exec " + String.join(" ", command) + " did not finish in 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting for exec", e);
    } catch (IOException e) {
      throw new AssertionError("exec stream failed", e);
    }
    return new ExecResult(
        exitCode(docker, id), out.toByteArray(), err.toString(StandardCharsets.UTF_8));
  }

  /** The exec's exit code, or -1; Docker may report it a moment after the stream has closed. */
  private static long exitCode(DockerClient docker, String execId) {
    for (int i = 0; i < 100; i++) {
      Long code = docker.inspectExecCmd(execId).exec().getExitCodeLong();
      if (code != null) {
        return code;
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
    return -1;
  }
}
