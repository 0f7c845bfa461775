package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.model.Statistics;
import dev.sandbar.workflows.activity.MetricsActivities;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.SandboxMetrics;
import dev.sandbar.workflows.model.SandboxMetrics.Cpu;
import dev.sandbar.workflows.model.SandboxMetrics.Disk;
import dev.sandbar.workflows.model.SandboxMetrics.Memory;
import dev.sandbar.workflows.model.SandboxMetrics.Pids;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * {@link MetricsActivities} over one host's Docker daemon: one inspect, one one-shot stats call
 * when the container runs, one volume size query. Live figures are only sampled for a running or
 * paused container; the data volume's size is reported whatever the container's state.
 */
public class DockerMetricsActivities implements MetricsActivities {

  private final DockerClient docker;

  public DockerMetricsActivities(DockerClient docker) {
    this.docker = Objects.requireNonNull(docker, "docker");
  }

  @Override
  public SandboxMetrics sampleMetrics(ContainerRef container) {
    Optional<InspectContainerResponse> found;
    try {
      found = ContainerInspection.find(docker, container);
    } catch (RuntimeException e) {
      throw DockerFailures.transientFailure(
          "Docker failed to inspect " + container.containerName() + ": " + e.getMessage(), e);
    }
    Disk disk = VolumeUsage.of(docker, PoolVolumes.volumeOf(found, container));
    if (found.isEmpty()) {
      return live(false, "the sandbox has no container on its host", disk);
    }
    InspectContainerResponse inspected = found.get();
    ContainerStatus status = ContainerInspection.status(inspected);
    if (status != ContainerStatus.RUNNING && status != ContainerStatus.PAUSED) {
      return live(
          false,
          "the sandbox's container is not running (" + status.name().toLowerCase(Locale.ROOT) + ")",
          disk);
    }
    Statistics stats = ContainerStats.sample(docker, inspected.getId());
    Long pidsLimit =
        inspected.getHostConfig() == null ? null : inspected.getHostConfig().getPidsLimit();
    return new SandboxMetrics(
        true,
        null,
        System.currentTimeMillis(),
        ContainerStats.cpu(stats),
        ContainerStats.memory(stats),
        ContainerStats.pids(stats, pidsLimit != null && pidsLimit > 0 ? pidsLimit : null),
        disk);
  }

  private static SandboxMetrics live(boolean supported, String reason, Disk disk) {
    return new SandboxMetrics(
        supported,
        reason,
        System.currentTimeMillis(),
        Cpu.unsupported(reason),
        Memory.unsupported(reason),
        Pids.unsupported(reason),
        disk);
  }
}
