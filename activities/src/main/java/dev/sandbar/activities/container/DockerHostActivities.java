package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HostActivities} against one Docker daemon. Every method first looks at what Docker has, so
 * a retried or duplicated call finds the work already done; Docker errors that a retry could cure
 * surface as {@link DockerOperationException} (retried by Temporal), the rest as non-retryable
 * {@link ApplicationFailure}s typed with an {@link ErrorType} (see {@link DockerFailures}).
 */
public class DockerHostActivities implements HostActivities {

  private static final Logger log = LoggerFactory.getLogger(DockerHostActivities.class);

  /** Grace between SIGTERM and SIGKILL on stop; short so a stop fits the activity's timeout. */
  public static final int STOP_TIMEOUT_SECONDS = 10;

  private final DockerClient docker;
  private final String hostId;
  private final String installationId;
  private final ContainerCreator creator;
  private final TenantNetworks networks;
  private final ContainerSafety safety;

  /**
   * @param installationId labels every container and volume created here as this installation's
   *     (see {@link ContainerLabels#INSTALLATION})
   */
  public DockerHostActivities(DockerClient docker, String hostId, String installationId) {
    this(docker, hostId, installationId, ContainerSafety.defaults());
  }

  /**
   * @param safety what every container created here gets: the trusted helper, the layer limit
   */
  public DockerHostActivities(
      DockerClient docker, String hostId, String installationId, ContainerSafety safety) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
    this.installationId = Objects.requireNonNull(installationId, "installationId");
    this.networks = new TenantNetworks(docker, hostId, installationId);
    this.safety = safety;
    this.creator = new ContainerCreator(docker, hostId, installationId, safety, networks);
  }

  /**
   * Creates the data volume, then the container, each only if absent; a container that already
   * exists under the sandbox's name is returned as it is. Image, network and resource problems fail
   * permanently before anything is created where Docker lets us tell in advance.
   */
  @Override
  public ContainerInfo createContainer(CreateContainer request) {
    return guard("create", new ContainerRef(request.sandboxId()), () -> creator.create(request));
  }

  /**
   * Starts a created or exited container. Already running is success; a paused container is left
   * paused and reported as such (resuming is {@link #unpauseContainer}'s job). Absent fails
   * permanently with {@code CONTAINER_GONE}; a command Docker cannot execute fails permanently with
   * {@code CONTAINER_CONFIG_REJECTED}.
   */
  @Override
  public ContainerInfo startContainer(ContainerRef ref) {
    return guard(
        "start",
        ref,
        () -> {
          InspectContainerResponse found = find(ref).orElseThrow(() -> gone(ref, "start", null));
          ContainerInfo current = ContainerInspection.info(found);
          if (current.status() == ContainerStatus.RUNNING
              || current.status() == ContainerStatus.PAUSED) {
            return current;
          }
          networks.ensureForContainer(
              Objects.requireNonNullElse(found.getConfig().getLabels(), Map.of()));
          return start(ref);
        });
  }

  /**
   * {@link #createContainer} and {@link #startContainer} in one call, for a create that restores
   * nothing in between: the container the create returns is started at once, without looking it and
   * its network up again (the create made sure of both, and a network is never removed while a
   * container refers to it). Idempotent like the two: a retry finds the container, running or not.
   */
  @Override
  public ContainerInfo createAndStartContainer(CreateContainer request) {
    ContainerRef ref = new ContainerRef(request.sandboxId());
    return guard(
        "create and start",
        ref,
        () -> {
          long begin = System.nanoTime();
          Optional<ContainerInfo> existing = creator.createUnlessPresent(request);
          if (existing.isPresent()
              && (existing.get().status() == ContainerStatus.RUNNING
                  || existing.get().status() == ContainerStatus.PAUSED)) {
            return existing.get();
          }
          long created = System.nanoTime();
          ContainerInfo started = start(ref);
          // Where a create's time goes (the benchmark's breakdown sees the activity as a whole).
          log.info(
              "sandbox {} created and started on host {} in {} ms: create {} ms, start {} ms",
              ref.sandboxId(),
              hostId,
              (System.nanoTime() - begin) / 1_000_000,
              (created - begin) / 1_000_000,
              (System.nanoTime() - created) / 1_000_000);
          return started;
        });
  }

  /** Starts the existing, not running container {@code ref}; its current info after. */
  private ContainerInfo start(ContainerRef ref) {
    try {
      docker.startContainerCmd(ref.containerName()).exec();
    } catch (NotModifiedException e) {
      // Started by a concurrent attempt.
    } catch (NotFoundException e) {
      if (find(ref).isEmpty()) {
        throw gone(ref, "start", e);
      }
      // The container is there, so something it refers to (a network) is not.
      throw cannotStart(ref, e);
    } catch (BadRequestException e) {
      throw cannotStart(ref, e);
    }
    return inspectRequired(ref, "start", null);
  }

  /**
   * Stops the container: SIGTERM, then SIGKILL after {@value #STOP_TIMEOUT_SECONDS} s; paused
   * containers are stopped too. Already stopped and absent are success. Transient errors are
   * retried by Temporal.
   */
  @Override
  public ContainerInfo stopContainer(ContainerRef ref) {
    return guard(
        "stop",
        ref,
        () -> {
          Optional<InspectContainerResponse> current = find(ref);
          if (current.isEmpty()) {
            return ContainerInspection.absent();
          }
          ContainerStatus status = ContainerInspection.status(current.get());
          if (status == ContainerStatus.CREATED || status == ContainerStatus.EXITED) {
            return ContainerInspection.info(current.get());
          }
          try {
            docker.stopContainerCmd(ref.containerName()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
          } catch (NotModifiedException | NotFoundException e) {
            // Already stopped or removed by someone else: the goal holds.
          }
          return inspect(ref);
        });
  }

  /**
   * Freezes a running container. Already paused is success; absent fails permanently with {@code
   * CONTAINER_GONE}; a container that is not running fails permanently with {@code INVALID_STATE}.
   */
  @Override
  public ContainerInfo pauseContainer(ContainerRef ref) {
    return guard(
        "pause",
        ref,
        () -> {
          ContainerInfo current = inspectRequired(ref, "pause", null);
          if (current.status() == ContainerStatus.PAUSED) {
            return current;
          }
          if (current.status() != ContainerStatus.RUNNING) {
            throw DockerFailures.permanent(
                ErrorType.INVALID_STATE,
                "cannot pause sandbox "
                    + ref.sandboxId()
                    + ": its container is "
                    + current.status(),
                null);
          }
          try {
            docker.pauseContainerCmd(ref.containerName()).exec();
          } catch (DockerException e) {
            // Docker answers a lost race with 409 or 500; what counts is where the container is.
            if (inspectRequired(ref, "pause", e).status() != ContainerStatus.PAUSED) {
              throw e;
            }
          }
          return inspectRequired(ref, "pause", null);
        });
  }

  /**
   * Thaws a paused container. A container that is not paused is returned as it is (already running
   * is success); absent fails permanently with {@code CONTAINER_GONE}.
   */
  @Override
  public ContainerInfo unpauseContainer(ContainerRef ref) {
    return guard(
        "unpause",
        ref,
        () -> {
          ContainerInfo current = inspectRequired(ref, "unpause", null);
          if (current.status() != ContainerStatus.PAUSED) {
            return current;
          }
          try {
            docker.unpauseContainerCmd(ref.containerName()).exec();
          } catch (DockerException e) {
            // Docker answers "is not paused" with a 500, so judge by the container's state.
            if (inspectRequired(ref, "unpause", e).status() == ContainerStatus.PAUSED) {
              throw e;
            }
          }
          return inspectRequired(ref, "unpause", null);
        });
  }

  /**
   * Force-removes the container, then its data volume. Either already gone counts as removed, so a
   * retry after a partial removal finishes the job. A volume still in use (the container's removal
   * not yet finished) is a transient failure, retried by Temporal. The tenant's network stays for
   * its next sandbox; {@link #removeIdleNetworks} removes it once it has had none for a while (with
   * an idle grace of zero, the removal does at once).
   */
  @Override
  public void removeContainer(ContainerRef ref) {
    guard(
        "remove",
        ref,
        () -> {
          // A sandbox made from a warm-pool container keeps the pool's volume (volumes cannot be
          // renamed): read which one before the container, the only link to it, is gone.
          String volume = PoolVolumes.volumeOf(docker, ref);
          try {
            docker
                .removeContainerCmd(ref.containerName())
                .withForce(true)
                .withRemoveVolumes(false)
                .exec();
          } catch (NotFoundException e) {
            // Already removed.
          }
          try {
            docker.removeVolumeCmd(volume).exec();
          } catch (NotFoundException e) {
            // Already removed.
          }
          if (networks.removedWithLastSandbox()) {
            networks.removeUnusedNow();
          }
          return null;
        });
  }

  /**
   * Removes the tenant networks no container has referred to for the idle grace (see {@link
   * #keepIdleNetworksFor}); the host's reconciliation pass calls it. Idempotent.
   */
  public void removeIdleNetworks() {
    networks.removeUnused();
  }

  /** Removes every tenant network no container refers to, however short its idle time. */
  public void removeUnusedNetworksNow() {
    networks.removeUnusedNow();
  }

  /**
   * How long a tenant network without containers is kept for the tenant's next sandbox (zero, the
   * default here: removed with its last sandbox; a worker keeps them for {@link
   * TenantNetworks#DEFAULT_IDLE_SECONDS} unless configured otherwise).
   */
  public DockerHostActivities keepIdleNetworksFor(Duration grace) {
    networks.idleGrace(grace);
    return this;
  }

  /**
   * Reports the container as Docker sees it; an absent container is {@code ABSENT}, not a failure.
   */
  @Override
  public ContainerInfo inspectContainer(ContainerRef ref) {
    return guard("inspect", ref, () -> inspect(ref));
  }

  /** The host id this instance labels containers with. */
  public String hostId() {
    return hostId;
  }

  /** The installation id this instance labels containers and volumes with. */
  public String installationId() {
    return installationId;
  }

  DockerClient docker() {
    return docker;
  }

  TenantNetworks networks() {
    return networks;
  }

  ContainerSafety safety() {
    return safety;
  }

  private Optional<InspectContainerResponse> find(ContainerRef ref) {
    return ContainerInspection.find(docker, ref);
  }

  private ContainerInfo inspect(ContainerRef ref) {
    return find(ref).map(ContainerInspection::info).orElseGet(ContainerInspection::absent);
  }

  /** The container's state; {@code CONTAINER_GONE} (caused by {@code cause}) when absent. */
  private ContainerInfo inspectRequired(ContainerRef ref, String action, Throwable cause) {
    return ContainerInspection.info(find(ref).orElseThrow(() -> gone(ref, action, cause)));
  }

  /**
   * Runs one activity body, turning anything that is not already a typed failure into a retryable
   * {@link DockerOperationException} that names the action, sandbox and host.
   */
  private <T> T guard(String action, ContainerRef ref, Supplier<T> body) {
    return DockerFailures.transientUnlessTyped(
        () -> "Docker " + action + " of sandbox " + ref.sandboxId() + " on host " + hostId, body);
  }

  private ApplicationFailure gone(ContainerRef ref, String action, Throwable cause) {
    return DockerFailures.permanent(
        ErrorType.CONTAINER_GONE,
        "cannot "
            + action
            + " sandbox "
            + ref.sandboxId()
            + ": container "
            + ref.containerName()
            + " does not exist on host "
            + hostId,
        cause);
  }

  private ApplicationFailure cannotStart(ContainerRef ref, DockerException e) {
    return DockerFailures.configRejected(
        "Docker on host " + hostId + " cannot start sandbox " + ref.sandboxId(), e);
  }
}
