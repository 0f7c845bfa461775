package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import dev.sandbar.workflows.model.ContainerRef;
import java.util.Optional;

/**
 * Which data volume a sandbox's container uses: its own ({@link ContainerRef#volumeName()}), or,
 * for a sandbox claimed from the warm pool, the pool slot's volume, which Docker cannot rename.
 */
final class PoolVolumes {

  private PoolVolumes() {}

  /** The data volume of {@code ref}'s container; its own volume name when it has no other. */
  static String volumeOf(DockerClient docker, ContainerRef ref) {
    return volumeOf(ContainerInspection.find(docker, ref), ref);
  }

  /** The data volume of {@code container}, inspected as {@code ref}'s container. */
  static String volumeOf(Optional<InspectContainerResponse> container, ContainerRef ref) {
    if (container.isEmpty() || container.get().getMounts() == null) {
      return ref.volumeName();
    }
    return container.get().getMounts().stream()
        .map(InspectContainerResponse.Mount::getName)
        .filter(name -> name != null && name.startsWith("sandbar-data-pool-"))
        .findFirst()
        .orElse(ref.volumeName());
  }
}
