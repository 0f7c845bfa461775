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
 * recovery, which must delete nothing. Only this installation's containers and volumes of this host
 * count, so two workers sharing one daemon (tests, standalone) never adopt each other's sandboxes,
 * and objects left by another installation (another database) are never seen at all.
 */
public final class DockerInventory {

  private final DockerClient docker;
  private final String hostId;
  private final String installationId;

  public DockerInventory(DockerClient docker, String hostId, String installationId) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.installationId = Objects.requireNonNull(installationId, "installationId");
  }

  /** The inventory of the host (and installation) {@code host} creates containers for. */
  public DockerInventory(DockerClient docker, DockerHostActivities host) {
    this(docker, host.hostId(), host.installationId());
  }

  /**
   * Every container this host's Sandbar labelled ({@code sandbar.managed=true}, this installation
   * and this host id), running or not. Read-only, so safe to retry.
   */
  public List<SandboxContainer> containers() {
    try {
      List<Container> containers =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(ContainerLabels.managedBy(installationId, hostId))
              .exec();
      List<SandboxContainer> result = new ArrayList<>();
      for (Container c : containers) {
        Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
        String sandboxId = PoolContainerNames.sandboxOf(c, labels);
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
                c.getCreated() == null ? 0 : c.getCreated() * 1000,
                SandboxContainer.healthOf(c.getStatus())));
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

  /** Sandbox ids of this installation's data volumes on this host (with or without a container). */
  public Set<String> volumeSandboxIds() {
    ListVolumesResponse response =
        docker
            .listVolumesCmd()
            .withFilter("label", ContainerLabels.managedByTerms(installationId, hostId))
            .exec();
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
