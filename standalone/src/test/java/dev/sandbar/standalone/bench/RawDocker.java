package dev.sandbar.standalone.bench;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.HostConfig;
import java.io.IOException;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

/**
 * The baseline: the same operations straight through docker-java on the same daemon, with the
 * container Sandbar's default spec boils down to (base image, {@code sleep infinity}, an init).
 * Every container carries {@link #LABEL} with this process's id as its value, so a run removes only
 * its own, even while another benchmark runs on the same daemon.
 */
final class RawDocker {

  static final String IMAGE = "sandbar-base:latest";
  static final String LABEL = "dev.sandbar.bench.raw";

  private static final String RUN = String.valueOf(ProcessHandle.current().pid());

  private final DockerClient docker;

  RawDocker(DockerClient docker) {
    this.docker = docker;
  }

  /** Creates and starts a container; returns its id. */
  String createAndStart() {
    String id =
        docker
            .createContainerCmd(IMAGE)
            .withName("bench-raw-" + UUID.randomUUID())
            .withCmd("sleep", "infinity")
            .withLabels(Map.of(LABEL, RUN))
            .withHostConfig(HostConfig.newHostConfig().withInit(true))
            .exec()
            .getId();
    docker.startContainerCmd(id).exec();
    return id;
  }

  /** Exec create, start (attached, to the end of its output) and inspect; returns the exit code. */
  long exec(String container, String... command) {
    String execId =
        docker
            .execCreateCmd(container)
            .withCmd(command)
            .withAttachStdout(true)
            .withAttachStderr(true)
            .exec()
            .getId();
    try (ResultCallback.Adapter<Frame> done =
        docker.execStartCmd(execId).exec(new ResultCallback.Adapter<>())) {
      if (!done.awaitCompletion(60, TimeUnit.SECONDS)) {
        throw new IllegalStateException("raw exec did not finish within 60 s");
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
    Long exitCode = docker.inspectExecCmd(execId).exec().getExitCodeLong();
    return exitCode == null ? -1 : exitCode;
  }

  void pause(String id) {
    docker.pauseContainerCmd(id).exec();
  }

  void unpause(String id) {
    docker.unpauseContainerCmd(id).exec();
  }

  void stop(String id) {
    docker.stopContainerCmd(id).withTimeout(10).exec();
  }

  void start(String id) {
    docker.startContainerCmd(id).exec();
  }

  void remove(String id) {
    docker.removeContainerCmd(id).withForce(true).withRemoveVolumes(true).exec();
  }

  /** Removes every container this benchmark created (also those of an earlier, aborted run). */
  void removeAll() {
    docker
        .listContainersCmd()
        .withShowAll(true)
        .withLabelFilter(Map.of(LABEL, RUN))
        .exec()
        .forEach(container -> remove(container.getId()));
  }
}
