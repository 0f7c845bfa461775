package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.exception.NotModifiedException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.Container;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link HostActivities} against one Docker daemon. Every method first looks at what Docker has, so
 * a retried or duplicated call finds the work already done; Docker errors that a retry could cure
 * surface as {@link DockerOperationException} (retried by Temporal), the rest as non-retryable
 * {@link ApplicationFailure}s typed with an {@link ErrorType}.
 */
public class DockerHostActivities implements HostActivities {

  public static final String LABEL_SANDBOX_ID = "sandbar.sandbox-id";
  public static final String LABEL_HOST_ID = "sandbar.host-id";
  public static final String LABEL_TENANT_ID = "sandbar.tenant-id";
  public static final String LABEL_MANAGED = "sandbar.managed";

  /** User labels are namespaced so they can never overwrite the labels Sandbar relies on. */
  public static final String USER_LABEL_PREFIX = "sandbar.label.";

  /**
   * What a sandbox keeps after dropping every capability: Docker's default set minus those that
   * reach past the sandbox (NET_RAW for raw-socket spoofing, MKNOD for device nodes, SYS_CHROOT,
   * SETPCAP, SETFCAP, AUDIT_WRITE). What is left is what agent workloads actually need: package
   * managers chown files and switch users, processes signal their children, servers bind low ports.
   */
  public static final List<Capability> SANDBOX_CAPABILITIES =
      List.of(
          Capability.CHOWN,
          Capability.DAC_OVERRIDE,
          Capability.FOWNER,
          Capability.FSETID,
          Capability.KILL,
          Capability.SETGID,
          Capability.SETUID,
          Capability.NET_BIND_SERVICE);

  /**
   * Keeps a sandbox alive when the spec names no command; images such as busybox default to a shell
   * that exits at once without a terminal. Both busybox and GNU sleep accept "infinity".
   */
  public static final List<String> IDLE_COMMAND = List.of("sleep", "infinity");

  public static final String DEFAULT_DATA_PATH = "/data";
  public static final String DEFAULT_NETWORK_MODE = "bridge";

  /** Grace between SIGTERM and SIGKILL on stop; short so a stop fits the activity's timeout. */
  public static final int STOP_TIMEOUT_SECONDS = 10;

  /** How long a create that lost the name race waits for the winner's container to appear. */
  private static final Duration CONCURRENT_CREATE_WAIT = Duration.ofSeconds(10);

  private static final Duration CONCURRENT_CREATE_POLL = Duration.ofMillis(50);
  private static final int MAX_HOSTNAME_LENGTH = 63;
  private static final long MIB = 1024L * 1024L;

  /** Network modes Docker knows without a network object to look up. */
  private static final Set<String> BUILT_IN_NETWORKS = Set.of("bridge", "host", "none", "default");

  private static final Pattern DOCKER_MESSAGE = Pattern.compile("\"message\"\\s*:\\s*\"(.*)\"");
  private static final Logger log = LoggerFactory.getLogger(DockerHostActivities.class);

  private final DockerClient docker;
  private final String hostId;

  public DockerHostActivities(DockerClient docker, String hostId) {
    this.docker = Objects.requireNonNull(docker, "docker");
    this.hostId = Objects.requireNonNull(hostId, "hostId");
  }

  /**
   * Creates the data volume, then the container, each only if absent; a container that already
   * exists under the sandbox's name is returned as it is. Image, network and resource problems fail
   * permanently before anything is created where Docker lets us tell in advance.
   */
  @Override
  public ContainerInfo createContainer(CreateContainer request) {
    ContainerRef ref = new ContainerRef(request.sandboxId());
    return guard(
        "create",
        ref,
        () -> {
          Optional<InspectContainerResponse> existing = find(ref);
          if (existing.isPresent()) {
            return info(existing.get());
          }
          SandboxSpec spec = request.spec();
          requireImage(spec.image());
          String networkMode = orDefault(spec.networkMode(), DEFAULT_NETWORK_MODE);
          requireNetwork(networkMode);
          Map<String, String> labels = labels(request);
          ensureVolume(ref, labels);
          try {
            docker
                .createContainerCmd(spec.image())
                .withName(ref.containerName())
                .withHostName(hostname(request.sandboxId()))
                .withLabels(labels)
                .withEnv(env(spec.env()))
                .withCmd(
                    spec.command() == null || spec.command().isEmpty()
                        ? IDLE_COMMAND
                        : spec.command())
                .withHostConfig(hostConfig(ref, spec, networkMode))
                .exec();
          } catch (ConflictException e) {
            // A concurrent attempt (a retry racing a slow first try) holds the name. Docker
            // reserves the name before the container can be inspected, so give the winner a
            // moment to finish rather than failing this attempt.
            log.info(
                "container {} is being created concurrently, adopting it", ref.containerName());
            return awaitCreatedElsewhere(ref, e);
          } catch (NotFoundException e) {
            if (dockerMessage(e).startsWith("No such image")) {
              // Removed between the check and the create.
              throw permanent(ErrorType.IMAGE_NOT_FOUND, imageMissing(spec.image()), e);
            }
            // Something else the config names is missing (a "container:<name>" network).
            throw permanent(
                ErrorType.CONTAINER_CONFIG_REJECTED,
                "Docker on host "
                    + hostId
                    + " rejected the container for sandbox "
                    + ref.sandboxId()
                    + ": "
                    + dockerMessage(e),
                e);
          } catch (BadRequestException e) {
            throw permanent(
                ErrorType.CONTAINER_CONFIG_REJECTED,
                "Docker on host "
                    + hostId
                    + " rejected the container for sandbox "
                    + ref.sandboxId()
                    + ": "
                    + dockerMessage(e),
                e);
          }
          return find(ref)
              .map(DockerHostActivities::info)
              .orElseThrow(
                  () ->
                      new DockerOperationException(
                          "container "
                              + ref.containerName()
                              + " disappeared right after it was created on host "
                              + hostId,
                          null));
        });
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
          ContainerInfo current = info(find(ref).orElseThrow(() -> gone(ref, "start", null)));
          if (current.status() == ContainerStatus.RUNNING
              || current.status() == ContainerStatus.PAUSED) {
            return current;
          }
          try {
            docker.startContainerCmd(ref.containerName()).exec();
          } catch (NotModifiedException e) {
            // Started by a concurrent attempt.
          } catch (NotFoundException e) {
            if (find(ref).isEmpty()) {
              throw gone(ref, "start", e);
            }
            // The container is there, so something it refers to (a network) is not.
            throw permanent(
                ErrorType.CONTAINER_CONFIG_REJECTED,
                "Docker on host "
                    + hostId
                    + " cannot start sandbox "
                    + ref.sandboxId()
                    + ": "
                    + dockerMessage(e),
                e);
          } catch (BadRequestException e) {
            throw permanent(
                ErrorType.CONTAINER_CONFIG_REJECTED,
                "Docker on host "
                    + hostId
                    + " cannot start sandbox "
                    + ref.sandboxId()
                    + ": "
                    + dockerMessage(e),
                e);
          }
          return inspectRequired(ref, "start");
        });
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
            return absent();
          }
          ContainerStatus status = status(current.get());
          if (status == ContainerStatus.CREATED || status == ContainerStatus.EXITED) {
            return info(current.get());
          }
          try {
            docker.stopContainerCmd(ref.containerName()).withTimeout(STOP_TIMEOUT_SECONDS).exec();
          } catch (NotModifiedException | NotFoundException e) {
            // Already stopped or removed by someone else: the goal holds.
          }
          return find(ref).map(DockerHostActivities::info).orElseGet(DockerHostActivities::absent);
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
          ContainerInfo current = info(find(ref).orElseThrow(() -> gone(ref, "pause", null)));
          if (current.status() == ContainerStatus.PAUSED) {
            return current;
          }
          if (current.status() != ContainerStatus.RUNNING) {
            throw permanent(
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
            ContainerInfo after = info(find(ref).orElseThrow(() -> gone(ref, "pause", e)));
            if (after.status() != ContainerStatus.PAUSED) {
              throw e;
            }
          }
          return inspectRequired(ref, "pause");
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
          ContainerInfo current = info(find(ref).orElseThrow(() -> gone(ref, "unpause", null)));
          if (current.status() != ContainerStatus.PAUSED) {
            return current;
          }
          try {
            docker.unpauseContainerCmd(ref.containerName()).exec();
          } catch (DockerException e) {
            // Docker answers "is not paused" with a 500, so judge by the container's state.
            ContainerInfo after = info(find(ref).orElseThrow(() -> gone(ref, "unpause", e)));
            if (after.status() == ContainerStatus.PAUSED) {
              throw e;
            }
          }
          return inspectRequired(ref, "unpause");
        });
  }

  /**
   * Force-removes the container, then its data volume. Either one already gone counts as removed,
   * so a retry after a partial removal finishes the job. A volume still in use (the container's
   * removal not yet finished) is a transient failure, retried by Temporal.
   */
  @Override
  public void removeContainer(ContainerRef ref) {
    guard(
        "remove",
        ref,
        () -> {
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
            docker.removeVolumeCmd(ref.volumeName()).exec();
          } catch (NotFoundException e) {
            // Already removed.
          }
          return null;
        });
  }

  /**
   * Reports the container as Docker sees it; an absent container is {@code ABSENT}, not a failure.
   */
  @Override
  public ContainerInfo inspectContainer(ContainerRef ref) {
    return guard(
        "inspect",
        ref,
        () -> find(ref).map(DockerHostActivities::info).orElseGet(DockerHostActivities::absent));
  }

  /**
   * Lists every container this host's Sandbar labelled ({@code sandbar.managed=true} and this host
   * id), running or not. Filtering by host keeps two workers sharing one daemon (tests, standalone)
   * from adopting each other's sandboxes. Read-only, so safe to retry.
   */
  public List<SandboxContainer> listSandboxContainers() {
    try {
      List<Container> containers =
          docker
              .listContainersCmd()
              .withShowAll(true)
              .withLabelFilter(Map.of(LABEL_MANAGED, "true", LABEL_HOST_ID, hostId))
              .exec();
      List<SandboxContainer> result = new ArrayList<>();
      for (Container c : containers) {
        Map<String, String> labels = c.getLabels() == null ? Map.of() : c.getLabels();
        String sandboxId = labels.get(LABEL_SANDBOX_ID);
        if (sandboxId == null) {
          continue;
        }
        result.add(
            new SandboxContainer(
                sandboxId, labels.get(LABEL_TENANT_ID), c.getId(), statusOf(c.getState())));
      }
      return result;
    } catch (RuntimeException e) {
      throw new DockerOperationException(
          "Docker on host " + hostId + " failed to list sandbox containers: " + describe(e), e);
    }
  }

  /** The host id this instance labels containers with. */
  public String hostId() {
    return hostId;
  }

  // --- creation details ---

  private Map<String, String> labels(CreateContainer request) {
    Map<String, String> labels = new TreeMap<>();
    Map<String, String> userLabels = request.spec().labels();
    if (userLabels != null) {
      userLabels.forEach((k, v) -> labels.put(USER_LABEL_PREFIX + k, v == null ? "" : v));
    }
    labels.put(LABEL_SANDBOX_ID, request.sandboxId());
    labels.put(LABEL_HOST_ID, hostId);
    labels.put(LABEL_TENANT_ID, request.tenantId() == null ? "" : request.tenantId());
    labels.put(LABEL_MANAGED, "true");
    return labels;
  }

  private static HostConfig hostConfig(ContainerRef ref, SandboxSpec spec, String networkMode) {
    Resources resources = spec.resources() == null ? Resources.DEFAULT : spec.resources();
    HostConfig config =
        HostConfig.newHostConfig()
            .withInit(true)
            .withPrivileged(false)
            .withCapDrop(Capability.ALL)
            .withCapAdd(SANDBOX_CAPABILITIES.toArray(Capability[]::new))
            .withSecurityOpts(List.of("no-new-privileges"))
            .withNetworkMode(networkMode)
            .withBinds(
                new Bind(
                    ref.volumeName(), new Volume(orDefault(spec.dataPath(), DEFAULT_DATA_PATH))));
    // Zero means "no limit" to Docker; the API fills real limits, so zero only comes from tests
    // or hand-written specs and keeps Docker's meaning.
    if (resources.memoryMb() > 0) {
      long bytes = Math.multiplyExact(resources.memoryMb(), MIB);
      // Swap equal to memory means no swap: a sandbox over its limit is OOM-killed, not slowed.
      config.withMemory(bytes).withMemorySwap(bytes);
    }
    if (resources.cpus() > 0) {
      config.withNanoCPUs(Math.round(resources.cpus() * 1_000_000_000d));
    }
    if (resources.pids() > 0) {
      config.withPidsLimit(resources.pids());
    }
    return config;
  }

  private static List<String> env(Map<String, String> env) {
    if (env == null) {
      return List.of();
    }
    List<String> entries = new ArrayList<>();
    new TreeMap<>(env).forEach((k, v) -> entries.add(k + "=" + (v == null ? "" : v)));
    return entries;
  }

  private static String hostname(String sandboxId) {
    return sandboxId.length() <= MAX_HOSTNAME_LENGTH
        ? sandboxId
        : sandboxId.substring(0, MAX_HOSTNAME_LENGTH);
  }

  private void requireImage(String image) {
    if (image == null || image.isBlank()) {
      throw permanent(ErrorType.CONTAINER_CONFIG_REJECTED, "the sandbox spec names no image", null);
    }
    try {
      docker.inspectImageCmd(image).exec();
    } catch (NotFoundException e) {
      // Never pull: hosts have no registry access by design, and an unexpected pull would make
      // create slow and unbounded.
      throw permanent(ErrorType.IMAGE_NOT_FOUND, imageMissing(image), e);
    } catch (BadRequestException e) {
      throw permanent(
          ErrorType.CONTAINER_CONFIG_REJECTED,
          "image name " + image + " is invalid: " + dockerMessage(e),
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
      throw permanent(
          ErrorType.CONTAINER_CONFIG_REJECTED,
          "network " + networkMode + " does not exist on host " + hostId,
          e);
    }
  }

  private void ensureVolume(ContainerRef ref, Map<String, String> labels) {
    try {
      docker.inspectVolumeCmd(ref.volumeName()).exec();
      return;
    } catch (NotFoundException e) {
      // Create it below.
    }
    try {
      docker.createVolumeCmd().withName(ref.volumeName()).withLabels(labels).exec();
    } catch (ConflictException e) {
      // Created concurrently by another attempt.
    }
  }

  // --- inspection ---

  private Optional<InspectContainerResponse> find(ContainerRef ref) {
    try {
      return Optional.of(docker.inspectContainerCmd(ref.containerName()).exec());
    } catch (NotFoundException e) {
      return Optional.empty();
    }
  }

  private ContainerInfo awaitCreatedElsewhere(ContainerRef ref, ConflictException conflict) {
    long deadline = System.nanoTime() + CONCURRENT_CREATE_WAIT.toNanos();
    while (true) {
      Optional<InspectContainerResponse> found = find(ref);
      if (found.isPresent()) {
        return info(found.get());
      }
      if (System.nanoTime() > deadline) {
        throw new DockerOperationException(
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
        throw new DockerOperationException(
            "interrupted while waiting for " + ref.containerName(), e);
      }
    }
  }

  private ContainerInfo inspectRequired(ContainerRef ref, String action) {
    return info(find(ref).orElseThrow(() -> gone(ref, action, null)));
  }

  private static ContainerInfo info(InspectContainerResponse container) {
    return new ContainerInfo(container.getId(), status(container));
  }

  private static ContainerInfo absent() {
    return new ContainerInfo(null, ContainerStatus.ABSENT);
  }

  private static ContainerStatus status(InspectContainerResponse container) {
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

  // --- failures ---

  /**
   * Runs one activity body, turning anything that is not already a typed failure into a retryable
   * {@link DockerOperationException} that names the action, sandbox and host.
   */
  private <T> T guard(String action, ContainerRef ref, Supplier<T> body) {
    try {
      return body.get();
    } catch (ApplicationFailure | DockerOperationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DockerOperationException(
          "Docker "
              + action
              + " of sandbox "
              + ref.sandboxId()
              + " on host "
              + hostId
              + " failed: "
              + describe(e),
          e);
    }
  }

  private ApplicationFailure gone(ContainerRef ref, String action, Throwable cause) {
    return permanent(
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

  private static ApplicationFailure permanent(ErrorType type, String message, Throwable cause) {
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type.name(), cause);
  }

  private static String describe(RuntimeException e) {
    if (e instanceof DockerException de) {
      return "HTTP " + de.getHttpStatus() + " " + dockerMessage(de);
    }
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root == e
        ? String.valueOf(e.getMessage())
        : e.getMessage() + " (" + root.getClass().getSimpleName() + ": " + root.getMessage() + ")";
  }

  /** Docker's own sentence out of docker-java's "Status 404: {"message":"..."}" text. */
  private static String dockerMessage(DockerException e) {
    String text = String.valueOf(e.getMessage());
    Matcher m = DOCKER_MESSAGE.matcher(text);
    return m.find() ? m.group(1) : text.strip();
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
