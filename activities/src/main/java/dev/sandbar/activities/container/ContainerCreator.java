package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerCmd;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.SandboxSpec;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates a sandbox's data volume and container, each only if absent. Image, network and resource
 * problems fail permanently before anything is created where Docker lets us tell in advance; a
 * create that loses the name race to a concurrent attempt adopts the winner's container.
 */
final class ContainerCreator {

  private static final Logger log = LoggerFactory.getLogger(ContainerCreator.class);

  /** How long a create that lost the name race waits for the winner's container to appear. */
  private static final Duration CONCURRENT_CREATE_WAIT = Duration.ofSeconds(10);

  private static final Duration CONCURRENT_CREATE_POLL = Duration.ofMillis(50);

  /** How long an image found on the host is taken to be there without asking Docker again. */
  private static final Duration IMAGE_SEEN_FOR = Duration.ofSeconds(30);

  /** Network modes Docker knows without a network object to look up. */
  private static final Set<String> BUILT_IN_NETWORKS = Set.of("bridge", "host", "none", "default");

  private final DockerClient docker;
  private final String hostId;
  private final String installationId;
  private final ContainerSafety safety;

  private final TenantNetworks networks;

  /** When each image was last found on the host, so a burst of creates inspects it once. */
  private final Map<String, Long> imagesSeen = new ConcurrentHashMap<>();

  ContainerCreator(
      DockerClient docker,
      String hostId,
      String installationId,
      ContainerSafety safety,
      TenantNetworks networks) {
    this.docker = docker;
    this.hostId = hostId;
    this.installationId = installationId;
    this.safety = safety;
    this.networks = networks;
  }

  /** The sandbox's container: the existing one under its name, else a new one. */
  ContainerInfo create(CreateContainer request) {
    ContainerRef ref = new ContainerRef(request.sandboxId());
    return createUnlessPresent(request)
        .orElseGet(
            () ->
                ContainerInspection.find(docker, ref)
                    .map(ContainerInspection::info)
                    .orElseThrow(
                        () ->
                            DockerFailures.transientFailure(
                                "container "
                                    + ref.containerName()
                                    + " disappeared right after it was created on host "
                                    + hostId,
                                null)));
  }

  /**
   * The existing container under the sandbox's name (or one a concurrent attempt just made), or
   * empty when this call created it: a caller that starts it next need not look it up first.
   */
  Optional<ContainerInfo> createUnlessPresent(CreateContainer request) {
    ContainerRef ref = new ContainerRef(request.sandboxId());
    Optional<InspectContainerResponse> existing = ContainerInspection.find(docker, ref);
    SandboxSpec spec = request.spec();
    if (existing.isPresent() && networks.lostItsNetwork(existing.get())) {
      // Its tenant network was removed behind Sandbar's back; Docker would refuse to start it. The
      // data lives in the volume, so a fresh container around it is the same sandbox.
      log.warn("container {} lost its network, re-creating it", ref.containerName());
      try {
        docker.removeContainerCmd(ref.containerName()).withForce(true).exec();
      } catch (NotFoundException e) {
        // Gone already.
      }
      existing = Optional.empty();
    }
    if (existing.isPresent()) {
      ContainerInfo info = ContainerInspection.info(existing.get());
      if (info.status() == ContainerStatus.CREATED) {
        // A retry after the create: the hand-over may not have happened yet.
        DataPathOwner.handOver(docker, ref, spec);
      }
      return Optional.of(info);
    }
    requireImage(spec.image());
    String mode = SandboxContainerConfig.networkMode(spec);
    Map<String, String> labels =
        ContainerLabels.forSandbox(
            request.sandboxId(), hostId, request.tenantId(), installationId, spec.labels());
    ensureVolume(ref, labels);
    Map<String, String> containerLabels = new TreeMap<>(labels);
    containerLabels.put(ContainerLabels.NETWORK_MODE, mode);
    Optional<ContainerInfo> adopted =
        networks.withNetwork(
            mode,
            request.tenantId(),
            network -> createOnNetwork(ref, spec, containerLabels, network, mode));
    if (adopted.isPresent()) {
      return adopted;
    }
    DataPathOwner.handOver(docker, ref, spec);
    return Optional.empty();
  }

  /**
   * Creates the container on {@code network}; the winner's container when a concurrent attempt
   * holds the name, else empty (this call created it).
   */
  private Optional<ContainerInfo> createOnNetwork(
      ContainerRef ref, SandboxSpec spec, Map<String, String> labels, String network, String mode) {
    if (!TenantNetworks.isTenantMode(mode)) {
      // A tenant's network was made sure of under its lock just now.
      requireNetwork(network);
    }
    try {
      CreateContainerCmd create =
          docker
              .createContainerCmd(spec.image())
              .withName(ref.containerName())
              .withHostName(SandboxContainerConfig.hostname(ref.sandboxId()))
              .withLabels(labels)
              .withEnv(SandboxContainerConfig.env(spec.env()))
              .withCmd(SandboxContainerConfig.command(spec))
              .withHostConfig(safety.applyTo(SandboxContainerConfig.hostConfig(ref, spec, network)))
              .withHealthcheck(SandboxContainerConfig.healthcheck(spec));
      String user = SandboxContainerConfig.user(spec);
      if (user != null) {
        create.withUser(user);
      }
      create.exec();
      return Optional.empty();
    } catch (ConflictException e) {
      // A concurrent attempt (a retry racing a slow first try) holds the name. Docker reserves the
      // name before the container can be inspected, so give the winner a moment to finish rather
      // than failing this attempt.
      log.info("container {} is being created concurrently, adopting it", ref.containerName());
      return Optional.of(awaitCreatedElsewhere(ref, e));
    } catch (NotFoundException e) {
      if (DockerFailures.dockerMessage(e).startsWith("No such image")) {
        // Removed between the check and the create.
        throw DockerFailures.permanent(ErrorType.IMAGE_NOT_FOUND, imageMissing(spec.image()), e);
      }
      // Something else the config names is missing (a "container:<name>" network).
      throw rejected(ref, e);
    } catch (BadRequestException e) {
      throw rejected(ref, e);
    }
  }

  private RuntimeException rejected(ContainerRef ref, DockerException e) {
    return DockerFailures.configRejected(
        "Docker on host " + hostId + " rejected the container for sandbox " + ref.sandboxId(), e);
  }

  private void requireImage(String image) {
    if (image == null || image.isBlank()) {
      throw DockerFailures.permanent(
          ErrorType.CONTAINER_CONFIG_REJECTED, "the sandbox spec names no image", null);
    }
    Long seen = imagesSeen.get(image);
    if (seen != null && System.nanoTime() - seen < IMAGE_SEEN_FOR.toNanos()) {
      // Seen a moment ago; an image removed since fails the create itself as IMAGE_NOT_FOUND.
      return;
    }
    try {
      docker.inspectImageCmd(image).exec();
      imagesSeen.put(image, System.nanoTime());
    } catch (NotFoundException e) {
      // Never pull: hosts have no registry access by design, and an unexpected pull would make
      // create slow and unbounded.
      throw DockerFailures.permanent(ErrorType.IMAGE_NOT_FOUND, imageMissing(image), e);
    } catch (BadRequestException e) {
      throw DockerFailures.permanent(
          ErrorType.CONTAINER_CONFIG_REJECTED,
          "image name " + image + " is invalid: " + DockerFailures.dockerMessage(e),
          e);
    }
  }

  private String imageMissing(String image) {
    return "image "
        + image
        + " is not present on host "
        + hostId
        + " (images are never pulled: build or load it on the host)";
  }

  private void requireNetwork(String networkMode) {
    // Docker accepts an unknown network at create and only fails at start; check now so the
    // failure is a permanent create error rather than a sandbox stuck between create and start.
    if (BUILT_IN_NETWORKS.contains(networkMode) || networkMode.startsWith("container:")) {
      return;
    }
    try {
      docker.inspectNetworkCmd().withNetworkId(networkMode).exec();
    } catch (NotFoundException e) {
      throw DockerFailures.permanent(
          ErrorType.CONTAINER_CONFIG_REJECTED,
          "network " + networkMode + " does not exist on host " + hostId,
          e);
    }
  }

  private void ensureVolume(ContainerRef ref, Map<String, String> labels) {
    // Docker answers a create of an existing volume (same driver) with that volume, so a retry or a
    // re-create around a surviving volume keeps it as it is, labels and data.
    try {
      docker.createVolumeCmd().withName(ref.volumeName()).withLabels(labels).exec();
    } catch (ConflictException e) {
      // Created concurrently by another attempt.
    }
  }

  private ContainerInfo awaitCreatedElsewhere(ContainerRef ref, ConflictException conflict) {
    long deadline = System.nanoTime() + CONCURRENT_CREATE_WAIT.toNanos();
    while (true) {
      Optional<InspectContainerResponse> found = ContainerInspection.find(docker, ref);
      if (found.isPresent()) {
        return ContainerInspection.info(found.get());
      }
      if (System.nanoTime() > deadline) {
        throw DockerFailures.transientFailure(
            "container "
                + ref.containerName()
                + " is reserved on host "
                + hostId
                + " but did not appear within "
                + CONCURRENT_CREATE_WAIT.toSeconds()
                + " s",
            conflict);
      }
      try {
        Thread.sleep(CONCURRENT_CREATE_POLL.toMillis());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw DockerFailures.transientFailure(
            "interrupted while waiting for " + ref.containerName(), e);
      }
    }
  }
}
