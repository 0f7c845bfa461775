package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.ListVolumesResponse;
import com.github.dockerjava.api.model.Container;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What Sandbar has on one Docker host, found by its {@link ContainerLabels}: used by start-up
 * recovery, which must delete nothing. Only this host's containers and volumes count, so two
 * workers sharing one daemon (tests, standalone) never adopt each other's sandboxes.
 */
public final class DockerInventory {

  private final DockerClient docker;
  private final String hostId;

  public DockerInventory(DockerClient docker, String hostId) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
  }

  /** The inventory of the host {@code host} creates containers for. */
  public DockerInventory(DockerClient docker, DockerHostActivities host) {
    this(docker, host.hostId());
  }

  /**
   * Every container this host's Sandbar labelled ({@code sandbar.managed=true} and this host id),
   * running or not. Read-only, so safe to retry.
   */
  public List<SandboxContainer> containers() {
    try {
      List<Container> containers =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(ContainerLabels.managedBy(hostId))
              .exec();
      List<SandboxContainer> result = new ArrayList<>();
      for (Container c : containers) {
        Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
        String sandboxId = labels.get(ContainerLabels.SANDBOX_ID);
        if (sandboxId == null) {
          continue;
        }
        result.add(
            new SandboxContainer(
                sandboxId,
                labels.get(ContainerLabels.TENANT_ID),
                c.getId(),
                ContainerInspection.statusOf(c.getState()),
                SandboxContainer.exitCodeOf(c.getStatus()),
                c.getCreated() == null ? 0 : c.getCreated() * 1000));
      }
      return result;
    } catch (RuntimeException e) {
      throw DockerFailures.transientFailure(
          "Docker on host "
              + hostId
              + " failed to list sandbox containers: "
              + DockerFailures.describe(e),
          e);
    }
  }

  /** Sandbox ids of this host's Sandbar data volumes (with or without a container). */
  public Set<String> volumeSandboxIds() {
    ListVolumesResponse response =
        docker.listVolumesCmd().withFilter("label", ContainerLabels.managedByTerms(hostId)).exec();
    Set<String> ids = new HashSet<>();
    if (response.getVolumes() != null) {
      for (InspectVolumeResponse volume : response.getVolumes()) {
        Map<String, String> labels = Objects.requireNonNullElse(volume.getLabels(), Map.of());
        String id = labels.get(ContainerLabels.SANDBOX_ID);
        if (id != null) {
          ids.add(id);
        }
      }
    }
    return ids;
  }
}
