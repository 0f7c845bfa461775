package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import java.util.Optional;

/** A sandbox's container as Docker sees it, in Sandbar's terms ({@link ContainerStatus}). */
final class ContainerInspection {

  private ContainerInspection() {}

  /** The container, or empty when it does not exist. */
  static Optional<InspectContainerResponse> find(DockerClient docker, ContainerRef ref) {
    return findNamed(docker, ref.containerName());
  }

  /** The container named {@code name}, or empty when it does not exist. */
  static Optional<InspectContainerResponse> findNamed(DockerClient docker, String name) {
    try {
      return Optional.of(docker.inspectContainerCmd(name).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  static ContainerInfo info(InspectContainerResponse container) {
    return new ContainerInfo(container.getId(), status(container));
  }

  /** What a container that does not exist is reported as. */
  static ContainerInfo absent() {
    return new ContainerInfo(null, ContainerStatus.ABSENT);
  }

  static ContainerStatus status(InspectContainerResponse container) {
    InspectContainerResponse.ContainerState state = container.getState();
    if (state == null) {
      return ContainerStatus.EXITED;
    }
    if (state.getStatus() != null) {
      return statusOf(state.getStatus());
    }
    if (Boolean.TRUE.equals(state.getPaused())) {
      return ContainerStatus.PAUSED;
    }
    return Boolean.TRUE.equals(state.getRunning())
        ? ContainerStatus.RUNNING
        : ContainerStatus.EXITED;
  }

  /** Maps Docker's state word; anything that is neither alive nor fresh counts as exited. */
  static ContainerStatus statusOf(String dockerState) {
    if (dockerState == null) {
      return ContainerStatus.EXITED;
    }
    return switch (dockerState) {
      case "created" -> ContainerStatus.CREATED;
      // A restarting container is between two runs of its process; it is meant to be running.
      case "running", "restarting" -> ContainerStatus.RUNNING;
      case "paused" -> ContainerStatus.PAUSED;
      default -> ContainerStatus.EXITED;
    };
  }
}
