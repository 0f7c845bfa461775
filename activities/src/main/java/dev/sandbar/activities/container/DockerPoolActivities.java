package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.Network;
import dev.sandbar.workflows.activity.PoolHostActivities;
import dev.sandbar.workflows.model.AdoptPooled;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.PoolSlot;
import dev.sandbar.workflows.model.PooledContainer;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;

/**
 * {@link PoolHostActivities} against one Docker daemon. Pool containers are created like a
 * sandbox's (same safety, same idle command, the default sandbox's limits) under their slot's
 * names, labelled with {@link ContainerLabels#POOL_SLOT} and no sandbox id, and wait on no network
 * at all: created on Docker's {@code none} network and disconnected from it before they start, so a
 * claim only connects the sandbox's network (a connect and a disconnect each cost a running
 * container 100-400 ms of libnetwork work under load, and a container cannot be connected anywhere
 * while it is on {@code none}).
 */
public class DockerPoolActivities implements PoolHostActivities {

  /** Docker's network of a container with only a loopback; left again before the start. */
  private static final String NO_NETWORK = "none";

  private final DockerClient docker;
  private final String hostId;
  private final String installationId;
  private final ContainerSafety safety;
  private final PoolAdoption adoption;

  /** Works with {@code host}'s client, labels, safety and network locks. */
  public DockerPoolActivities(DockerHostActivities host) {
    this.docker = host.docker();
    this.hostId = host.hostId();
    this.installationId = host.installationId();
    this.safety = host.safety();
    this.adoption = new PoolAdoption(docker, hostId, host.networks());
  }

  @Override
  public List<PooledContainer> listPoolContainers() {
    return guard(
        "list pool containers",
        () -> {
          List<PooledContainer> result = new ArrayList<>();
          for (Container c :
              docker
                  .listContainersCmd()
                  .withShowAll(true)
                  .withLabelFilter(ContainerLabels.managedBy(installationId, hostId))
                  .exec()) {
            Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
            String slot = labels.get(ContainerLabels.POOL_SLOT);
            String name = PoolContainerNames.nameOf(c);
            if (slot != null && name != null && name.startsWith(PoolSlot.NAME_PREFIX)) {
              result.add(
                  new PooledContainer(
                      new PoolSlot(slot, c.getImage()),
                      ContainerInspection.statusOf(c.getState())));
            }
          }
          return result;
        });
  }

  @Override
  public void createPoolContainer(PoolSlot slot) {
    guard(
        "create pool container " + slot.slotId(),
        () -> {
          Map<String, String> labels =
              ContainerLabels.forPoolSlot(slot.slotId(), hostId, installationId);
          try {
            docker.createVolumeCmd().withName(slot.volumeName()).withLabels(labels).exec();
          } catch (ConflictException e) {
            // Created by an earlier attempt.
          }
          if (find(slot.containerName()).isEmpty()) {
            requireImage(slot.image());
            Map<String, String> containerLabels = new TreeMap<>(labels);
            containerLabels.put(ContainerLabels.NETWORK_MODE, TenantNetworks.POOL);
            create(slot, containerLabels);
          }
          leaveNetworksBeforeStart(slot.containerName());
          try {
            docker.startContainerCmd(slot.containerName()).exec();
          } catch (NotModifiedException e) {
            // Started by an earlier attempt.
          }
          return null;
        });
  }

  @Override
  public void removePoolContainer(PoolSlot slot) {
    guard(
        "remove pool container " + slot.slotId(),
        () -> {
          try {
            docker.removeContainerCmd(slot.containerName()).withForce(true).exec();
          } catch (NotFoundException e) {
            // Already removed (or claimed and renamed: then only its volume is the pool's to free).
          }
          try {
            docker.removeVolumeCmd(slot.volumeName()).exec();
          } catch (NotFoundException e) {
            // Already removed.
          }
          removeOldPoolNetwork();
          return null;
        });
  }

  /**
   * Removes the pool network containers made by earlier versions waited on, once none does. Tenant
   * networks are the sandboxes' business (their destroy), not the pool's: pool containers hold
   * none.
   */
  private void removeOldPoolNetwork() {
    for (Network network :
        docker
            .listNetworksCmd()
            .withFilter("label", ContainerLabels.managedByTerms(installationId, hostId))
            .exec()) {
      if (TenantNetworks.isPoolNetwork(network.getName())) {
        try {
          docker.removeNetworkCmd(network.getId()).exec();
        } catch (NotFoundException e) {
          // Removed concurrently.
        } catch (DockerException e) {
          // Still in use by a container of the old kind: a later removal takes it.
        }
      }
    }
  }

  @Override
  public ContainerInfo adoptPoolContainer(AdoptPooled request) {
    return guard("adopt pool container " + request.slot().slotId(), () -> adoption.adopt(request));
  }

  /**
   * Disconnects a created, not yet started pool container from every network, so it starts with
   * only its loopback (Docker keeps an empty network list empty at start). A started one (an
   * earlier attempt got that far) is left as it is.
   */
  private void leaveNetworksBeforeStart(String name) {
    InspectContainerResponse container =
        find(name)
            .orElseThrow(
                () ->
                    DockerFailures.permanent(
                        ErrorType.CONTAINER_GONE,
                        "pool container " + name + " vanished on host " + hostId + " before start",
                        null));
    if (Boolean.TRUE.equals(container.getState().getRunning())
        || container.getNetworkSettings() == null
        || container.getNetworkSettings().getNetworks() == null) {
      return;
    }
    for (String network : container.getNetworkSettings().getNetworks().keySet()) {
      try {
        docker.disconnectFromNetworkCmd().withContainerId(name).withNetworkId(network).exec();
      } catch (NotFoundException e) {
        // Left already.
      }
    }
  }

  private Void create(PoolSlot slot, Map<String, String> labels) {
    SandboxSpec spec = poolSpec(slot.image());
    try {
      docker
          .createContainerCmd(slot.image())
          .withName(slot.containerName())
          .withHostName("sandbox")
          .withLabels(labels)
          .withCmd(SandboxContainerConfig.command(spec))
          .withHostConfig(
              safety.applyTo(
                  SandboxContainerConfig.hostConfig(slot.volumeName(), spec, NO_NETWORK)))
          .exec();
    } catch (ConflictException e) {
      // A concurrent attempt holds the name; the start below waits for nothing more.
    }
    return null;
  }

  /**
   * The spec a pool container is made from: the image's defaults and the default sandbox's limits,
   * so a claim of a default-sized sandbox needs no {@code docker update}.
   */
  private static SandboxSpec poolSpec(String image) {
    return new SandboxSpec(
        image,
        List.of(),
        Map.of(),
        Map.of(),
        Resources.DEFAULT,
        0,
        null,
        0,
        null,
        null,
        null,
        List.of());
  }

  private void requireImage(String image) {
    try {
      docker.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      throw DockerFailures.permanent(
          ErrorType.IMAGE_NOT_FOUND,
          "pool image " + image + " is not present on host " + hostId,
          e);
    }
  }

  private Optional<InspectContainerResponse> find(String name) {
    return ContainerInspection.findNamed(docker, name);
  }

  private <T> T guard(String action, Supplier<T> body) {
    return DockerFailures.transientUnlessTyped(
        () -> "Docker " + action + " on host " + hostId, body);
  }
}
