package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import io.temporal.activity.ActivityInterface;

/**
 * Docker work on one host. Runs on that host's queue ({@code sandbar-host-<hostId>}), so only the
 * worker next to the Docker daemon executes it.
 */
@ActivityInterface
public interface HostActivities {

  /**
   * Creates the sandbox's data volume and container (not started). Idempotent: the names come from
   * the sandbox id, so a retry finds and returns what an earlier attempt created. Fails permanently
   * with {@code IMAGE_NOT_FOUND} or {@code CONTAINER_CONFIG_REJECTED}.
   */
  ContainerInfo createContainer(CreateContainer request);

  /**
   * {@link #createContainer} then {@link #startContainer}, in one activity for a create that
   * restores no data in between. Idempotent as both are: a retry finds the container and starts it
   * if it is not running. Fails permanently as either does.
   */
  ContainerInfo createAndStartContainer(CreateContainer request);

  /** Starts the container; already running is success. {@code CONTAINER_GONE} if absent. */
  ContainerInfo startContainer(ContainerRef ref);

  /** Stops the container gracefully; already stopped is success, absent is success. */
  ContainerInfo stopContainer(ContainerRef ref);

  /** Freezes the container's processes; already paused is success. */
  ContainerInfo pauseContainer(ContainerRef ref);

  /** Thaws a paused container; already running is success. */
  ContainerInfo unpauseContainer(ContainerRef ref);

  /** Removes container and data volume; anything already gone counts as removed. */
  void removeContainer(ContainerRef ref);

  /** Reports the container's current status; never fails for an absent container. */
  ContainerInfo inspectContainer(ContainerRef ref);
}
