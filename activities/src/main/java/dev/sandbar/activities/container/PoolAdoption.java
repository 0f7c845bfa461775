package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.UpdateContainerCmd;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.ContainerNetwork;
import dev.sandbar.workflows.model.AdoptPooled;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import java.io.ByteArrayInputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a claimed pool container the sandbox that claimed it. Labels and environment are fixed at
 * creation, so the rest is done in place: the container is renamed to the sandbox's name (which is
 * how listings tell whose it is), its limits are set with {@code docker update}, it joins the
 * sandbox's network and leaves the pool's, and the sandbox's environment is written for the exec
 * wrapper ({@link SandboxEnvFile}). Each step looks first, so a retry finishes what an earlier
 * attempt started.
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
    String name = rename(request, new ContainerRef(create.sandboxId()));
    SandboxSpec spec = create.spec();
    InspectContainerResponse container = inspect(name);
    long renamed = System.nanoTime();
    // The rest are independent calls on one container, made at once (each is idempotent, so a
    // retry redoes what is missing); the network is the slowest of them.
    Map<String, ContainerNetwork> joined = networksOf(container);
    List<Runnable> steps =
        List.of(
            () ->
                applyLimits(name, spec.resources() == null ? Resources.DEFAULT : spec.resources()),
            () ->
                joinNetwork(
                    name, joined, SandboxContainerConfig.networkMode(spec), create.tenantId()),
            () -> leavePoolNetwork(name, joined),
            () -> writeEnv(name, spec, container));
    long[] took = new long[steps.size()];
    try (ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < steps.size(); i++) {
        int step = i;
        running.add(
            threads.submit(
                () -> {
                  long start = System.nanoTime();
                  steps.get(step).run();
                  took[step] = System.nanoTime() - start;
                }));
      }
      for (Future<?> step : running) {
        await(step);
      }
    }
    ContainerInfo info = ContainerInspection.info(inspect(name));
    // Where a claim's time goes, to choose the next optimisation from (the benchmark's breakdown
    // sees the activity only as a whole).
    log.info(
        "pool container {} became {} in {} ms: rename and inspect {}, limits {}, join network {},"
            + " leave pool network {}, env {}",
        request.slot().slotId(),
        name,
        ms(System.nanoTime() - begin),
        ms(renamed - begin),
        ms(took[0]),
        ms(took[1]),
        ms(took[2]),
        ms(took[3]));
    return info;
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

  private void writeEnv(String name, SandboxSpec spec, InspectContainerResponse container) {
    if (spec.env() == null || spec.env().isEmpty()) {
      return;
    }
    String script = SandboxEnvFile.script(spec.env(), envOf(container));
    docker
        .copyArchiveToContainerCmd(name)
        .withRemotePath("/")
        .withTarInputStream(new ByteArrayInputStream(SandboxEnvFile.tar(script)))
        .exec();
  }

  /** Renames the pool container to the sandbox's name, unless an earlier attempt did. */
  private String rename(AdoptPooled request, ContainerRef ref) {
    String name = ref.containerName();
    if (ContainerInspection.findNamed(docker, name).isPresent()) {
      return name;
    }
    try {
      docker.renameContainerCmd(request.slot().containerName()).withName(name).exec();
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
      // A concurrent attempt renamed it first.
      inspect(name);
    }
    return name;
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

  /** Connects the sandbox's network: a tenant's (created if absent), or Docker's bridge. */
  private void joinNetwork(
      String name, Map<String, ContainerNetwork> joined, String mode, String tenantId) {
    networks.withNetwork(
        mode,
        tenantId,
        network -> {
          if (!joined.containsKey(network)) {
            try {
              docker.connectToNetworkCmd().withContainerId(name).withNetworkId(network).exec();
            } catch (DockerException e) {
              // Already connected by an earlier attempt is success; anything else is not.
              if (!inspect(name).getNetworkSettings().getNetworks().containsKey(network)) {
                throw e;
              }
            }
          }
          return null;
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
