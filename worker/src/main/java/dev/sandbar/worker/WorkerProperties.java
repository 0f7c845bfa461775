package dev.sandbar.worker;

import java.util.List;

/**
 * A host worker's settings, read from the environment in {@link WorkerAutoConfiguration}.
 *
 * @param hostId this host's id ({@code SANDBAR_HOST_ID}); its Docker activities run on {@code
 *     sandbar-host-<hostId>}
 * @param labels {@code key=value} labels a create request's {@code hostSelector} can ask for, for
 *     example {@code gpu=true} ({@code SANDBAR_HOST_LABELS}, comma separated; a bare {@code gpu}
 *     means {@code gpu=true})
 * @param maxSandboxes how many sandboxes not destroyed (stopped ones included) placement puts here
 *     at most ({@code SANDBAR_HOST_MAX_SANDBOXES})
 * @param heartbeatSeconds how often the host row is refreshed; placement ignores a host whose
 *     heartbeat is older than 60 s
 * @param namespace the Temporal namespace ({@code TEMPORAL_NAMESPACE})
 * @param cpuOvercommit how many requested CPUs placement may put on one host CPU ({@code
 *     SANDBAR_HOST_CPU_OVERCOMMIT}, default 1). Placement counts requests, which are already a
 *     fraction of the limits, so by default the requests of a host's sandboxes add up to at most
 *     its real cores, as in Kubernetes
 */
public record WorkerProperties(
    String hostId,
    List<String> labels,
    int maxSandboxes,
    int heartbeatSeconds,
    String namespace,
    double cpuOvercommit) {

  public WorkerProperties {
    hostId = hostId == null || hostId.isBlank() ? "local" : hostId;
    labels = labels == null ? List.of() : List.copyOf(labels);
    maxSandboxes = maxSandboxes <= 0 ? 100 : maxSandboxes;
    heartbeatSeconds = heartbeatSeconds <= 0 ? 10 : heartbeatSeconds;
    namespace = namespace == null || namespace.isBlank() ? "default" : namespace;
    cpuOvercommit = cpuOvercommit <= 0 ? 1 : cpuOvercommit;
  }
}
