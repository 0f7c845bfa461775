package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectVolumeResponse;
import com.github.dockerjava.api.command.ListVolumesResponse;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/** What Sandbar has on one Docker host: used by start-up recovery, which must delete nothing. */
public final class DockerInventory {

  private final DockerClient docker;
  private final DockerHostActivities host;

  public DockerInventory(DockerClient docker, DockerHostActivities host) {
    this.docker = docker;
    this.host = host;
  }

  /** Sandbar containers of this host. */
  public List<SandboxContainer> containers() {
    return host.listSandboxContainers();
  }

  /** Sandbox ids of this host's Sandbar data volumes (with or without a container). */
  public Set<String> volumeSandboxIds() {
    ListVolumesResponse response =
        docker
            .listVolumesCmd()
            .withFilter(
                "label",
                List.of(
                    DockerHostActivities.LABEL_MANAGED + "=true",
                    DockerHostActivities.LABEL_HOST_ID + "=" + host.hostId()))
            .exec();
    Set<String> ids = new HashSet<>();
    if (response.getVolumes() != null) {
      for (InspectVolumeResponse volume : response.getVolumes()) {
        Map<String, String> labels = Objects.requireNonNullElse(volume.getLabels(), Map.of());
        String id = labels.get(DockerHostActivities.LABEL_SANDBOX_ID);
        if (id != null) {
          ids.add(id);
        }
      }
    }
    return ids;
  }
}
