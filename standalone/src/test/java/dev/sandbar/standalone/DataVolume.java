package dev.sandbar.standalone;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Container;
import dev.sandbar.activities.container.ContainerLabels;
import java.util.Map;

/**
 * The data volume of a sandbox's container: {@code sandbar-data-<id>} for a fresh one, the pool
 * slot's volume for one claimed from the warm pool (volumes cannot be renamed); and what a killed
 * process's warm pool left.
 */
final class DataVolume {

  private DataVolume() {}

  static String of(DockerClient docker, String sandboxId) {
    return docker.inspectContainerCmd("sandbar-" + sandboxId).exec().getMounts().stream()
        .filter(mount -> "/data".equals(mount.getDestination().getPath()))
        .map(InspectContainerResponse.Mount::getName)
        .findFirst()
        .orElseThrow(() -> new AssertionError("sandbox " + sandboxId + " has no data volume"));
  }

  /** Removes the unclaimed warm-pool containers and volumes of {@code hostId}. */
  static void removePool(DockerClient docker, String hostId) {
    for (Container container :
        docker
            .listContainersCmd()
            .withShowAll(true)
            .withLabelFilter(Map.of(ContainerLabels.HOST_ID, hostId))
            .exec()) {
      String slot =
          container.getLabels() == null
              ? null
              : container.getLabels().get(ContainerLabels.POOL_SLOT);
      if (slot != null && container.getNames()[0].startsWith("/sandbar-pool-")) {
        docker.removeContainerCmd(container.getId()).withForce(true).exec();
        try {
          docker.removeVolumeCmd("sandbar-data-pool-" + slot).exec();
        } catch (NotFoundException gone) {
          // Not there: nothing to remove.
        }
      }
    }
  }
}
