package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.UpdateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import com.github.dockerjava.api.model.HostConfig;
import dev.sandbar.workflows.model.AdoptPooled;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a claimed pool container the sandbox that claimed it. Labels and environment are fixed at
 * creation, so the rest is done in place: the container is renamed to the sandbox's name (which is
 * how listings tell whose it is), its limits are set with {@code docker update} unless it has them
 * already (pool containers are made with the default sandbox's), it joins the sandbox's network,
 * and the sandbox's environment is written for the exec wrapper ({@link SandboxEnvFile}). A
 * container made before pool containers waited on no network also leaves the pool's network.
 *
 * <p>One inspect finds the container (under its pool name, or under the sandbox's when an earlier
 * attempt renamed it) and tells which steps are still to do; those are made at once, by container
 * id, so a rename does not hold the others up. Docker still serialises most of them on the
 * container's lock, so the fewest calls is what makes a claim fast. Each step is skipped when done,
 * so a retry finishes what an earlier attempt started.
 */
final class PoolAdoption {

  private static final Logger log = LoggerFactory.getLogger(PoolAdoption.class);

  private final DockerClient docker;
  private final String hostId;
  private final TenantNetworks networks;

  PoolAdoption(DockerClient docker, String hostId, TenantNetworks networks) {
    this.docker = docker;
    this.hostId = hostId;
    this.networks = networks;
  }

  ContainerInfo adopt(AdoptPooled request) {
    long begin = System.nanoTime();
    CreateContainer create = request.request();
    String name = new ContainerRef(create.sandboxId()).containerName();
    SandboxSpec spec = create.spec();
    InspectContainerResponse container = find(request, name);
    String id = container.getId();
    long found = System.nanoTime();
    Resources resources = spec.resources() == null ? Resources.DEFAULT : spec.resources();
    Map<String, ContainerNetwork> joined = networksOf(container);
    Map<String, Runnable> steps = new LinkedHashMap<>();
    if (!name.equals(nameOf(container))) {
      steps.put("rename", () -> rename(request, id, name));
    }
    if (!hasLimits(container, resources)) {
      steps.put("limits", () -> applyLimits(id, resources));
    }
    Map<String, Long> connect = new ConcurrentHashMap<>();
    steps.put(
        "join network",
        () ->
            connect.put(
                "connect",
                joinNetwork(
                    id, joined, SandboxContainerConfig.networkMode(spec), create.tenantId())));
    if (joined.keySet().stream().anyMatch(TenantNetworks::isPoolNetwork)) {
      steps.put("leave pool network", () -> leavePoolNetwork(id, joined));
    }
    if (spec.env() != null && !spec.env().isEmpty()) {
      steps.put("env", () -> writeEnv(id, spec, container));
    }
    Map<String, Long> took = runAtOnce(steps);
    // Where a claim's time goes, to choose the next optimisation from (the benchmark's breakdown
    // sees the activity only as a whole).
    log.info(
        "pool container {} became {} in {} ms: inspect {}, {} (of joining: {})",
        request.slot().slotId(),
        name,
        ms(System.nanoTime() - begin),
        ms(found - begin),
        took,
        connect);
    return new ContainerInfo(id, ContainerStatus.RUNNING);
  }

  /** Runs the steps at once and returns how long each took, in ms, in the order given. */
  private static Map<String, Long> runAtOnce(Map<String, Runnable> steps) {
    Map<String, Long> took = new ConcurrentHashMap<>();
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      steps.forEach(
          (step, body) ->
              running.add(
                  threads.submit(
                      () -> {
                        long start = System.nanoTime();
                        body.run();
                        took.put(step, ms(System.nanoTime() - start));
                      })));
      for (Future<?> step : running) {
        await(step);
      }
    }
    Map<String, Long> ordered = new LinkedHashMap<>();
    steps.keySet().forEach(step -> ordered.put(step, took.get(step)));
    return ordered;
  }

  /**
   * The claimed container, running: under its pool name, else under the sandbox's (an earlier
   * attempt renamed it). One that is gone or stopped cannot become the sandbox; the create then
   * makes a fresh one.
   */
  private InspectContainerResponse find(AdoptPooled request, String name) {
    String poolName = request.slot().containerName();
    InspectContainerResponse container =
        ContainerInspection.findNamed(docker, poolName)
            .or(() -> ContainerInspection.findNamed(docker, name))
            .orElseThrow(
                () ->
                    DockerFailures.permanent(
                        ErrorType.CONTAINER_GONE,
                        "pool container "
                            + poolName
                            + " is gone from host "
                            + hostId
                            + " (it died after the claim)",
                        null));
    if (ContainerInspection.status(container) != ContainerStatus.RUNNING) {
      throw DockerFailures.permanent(
          ErrorType.CONTAINER_GONE,
          "pool container " + poolName + " on host " + hostId + " is no longer running",
          null);
    }
    return container;
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }

  private static void await(Future<?> step) {
    try {
      step.get();
    } catch (ExecutionException e) {
      if (e.getCause() instanceof RuntimeException failure) {
        throw failure;
      }
      throw new IllegalStateException(e.getCause());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw DockerFailures.interrupted(e);
    }
  }

  private void writeEnv(String id, SandboxSpec spec, InspectContainerResponse container) {
    String script = SandboxEnvFile.script(spec.env(), envOf(container));
    docker
        .copyArchiveToContainerCmd(id)
        .withRemotePath("/")
        .withTarInputStream(new ByteArrayInputStream(SandboxEnvFile.tar(script)))
        .exec();
  }

  /** Renames the pool container to the sandbox's name. */
  private void rename(AdoptPooled request, String id, String name) {
    try {
      docker.renameContainerCmd(id).withName(name).exec();
    } catch (NotFoundException e) {
      throw DockerFailures.permanent(
          ErrorType.CONTAINER_GONE,
          "pool container "
              + request.slot().containerName()
              + " is gone from host "
              + hostId
              + " (it died after the claim)",
          e);
    } catch (ConflictException e) {
      // A concurrent attempt renamed it first; anything else holding the name is an error.
      if (!id.equals(inspect(name).getId())) {
        throw e;
      }
    }
  }

  /** Whether the container has exactly the limits {@link #applyLimits} would give it. */
  private static boolean hasLimits(InspectContainerResponse container, Resources resources) {
    HostConfig config = container.getHostConfig();
    if (config == null) {
      return false;
    }
    long memory = resources.memoryMb() > 0 ? SandboxContainerConfig.memoryBytes(resources) : 0;
    long cpus = resources.cpus() > 0 ? SandboxContainerConfig.nanoCpus(resources) : 0;
    long pids = resources.pids() > 0 ? resources.pids() : 0;
    return (memory == 0 || memory == orZero(config.getMemory()))
        && (memory == 0 || memory == orZero(config.getMemorySwap()))
        && (cpus == 0 || cpus == orZero(config.getNanoCPUs()))
        && (pids == 0 || pids == orZero(config.getPidsLimit()));
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  /** The container's name without Docker's leading slash. */
  private static String nameOf(InspectContainerResponse container) {
    String name = container.getName();
    return name != null && name.startsWith("/") ? name.substring(1) : name;
  }

  private void applyLimits(String name, Resources resources) {
    UpdateContainerCmd update = docker.updateContainerCmd(name);
    // As a fresh container's (SandboxContainerConfig): swap equal to memory, so no swap.
    if (resources.memoryMb() > 0) {
      long bytes = SandboxContainerConfig.memoryBytes(resources);
      update.withMemory(bytes).withMemorySwap(bytes);
    }
    if (resources.cpus() > 0) {
      update.withNanoCPUs(SandboxContainerConfig.nanoCpus(resources));
    }
    if (resources.pids() > 0) {
      update.withPidsLimit(resources.pids());
    }
    update.exec();
  }

  /**
   * Connects the sandbox's network: a tenant's (created if absent), or Docker's bridge. Returns how
   * long the connect itself took, in ms (the rest of the step is finding or creating the network).
   */
  private long joinNetwork(
      String id, Map<String, ContainerNetwork> joined, String mode, String tenantId) {
    return networks.withNetwork(
        mode,
        tenantId,
        network -> {
          long start = System.nanoTime();
          if (!joined.containsKey(network)) {
            try {
              docker.connectToNetworkCmd().withContainerId(id).withNetworkId(network).exec();
            } catch (DockerException e) {
              // Already connected by an earlier attempt is success; anything else is not.
              if (!inspect(id).getNetworkSettings().getNetworks().containsKey(network)) {
                throw e;
              }
            }
          }
          return ms(System.nanoTime() - start);
        });
  }

  /** Leaves the pool's network (independent of joining the sandbox's, so done alongside). */
  private void leavePoolNetwork(String name, Map<String, ContainerNetwork> joined) {
    for (String network : joined.keySet()) {
      if (TenantNetworks.isPoolNetwork(network)) {
        try {
          docker
              .disconnectFromNetworkCmd()
              .withContainerId(name)
              .withNetworkId(network)
              .withForce(true)
              .exec();
        } catch (NotFoundException e) {
          // Left already.
        }
      }
    }
  }

  private static Map<String, ContainerNetwork> networksOf(InspectContainerResponse container) {
    return container.getNetworkSettings() == null
            || container.getNetworkSettings().getNetworks() == null
        ? Map.of()
        : Map.copyOf(container.getNetworkSettings().getNetworks());
  }

  private static List<String> envOf(InspectContainerResponse container) {
    String[] env = container.getConfig() == null ? null : container.getConfig().getEnv();
    return env == null ? List.of() : Arrays.asList(env);
  }

  private InspectContainerResponse inspect(String name) {
    Optional<InspectContainerResponse> found = ContainerInspection.findNamed(docker, name);
    return found.orElseThrow(
        () ->
            DockerFailures.permanent(
                ErrorType.CONTAINER_GONE,
                "container " + name + " is gone from host " + hostId + " while being claimed",
                null));
  }
}
