package dev.sandbar.worker;

import java.util.List;

/**
 * A host worker's settings, read from the environment in {@link WorkerAutoConfiguration}.
 *
 * @param hostId this host's id ({@code SANDBAR_HOST_ID}); its Docker activities run on {@code
 *     sandbar-host-<hostId>}
 * @param labels capabilities placement can ask for, for example {@code gpu} ({@code
 *     SANDBAR_HOST_LABELS}, comma separated)
 * @param maxSandboxes how many live sandboxes placement puts here at most
 * @param heartbeatSeconds how often the host row is refreshed; placement ignores a host whose
 *     heartbeat is older than 60 s
 * @param namespace the Temporal namespace ({@code TEMPORAL_NAMESPACE})
 * @param cpuOvercommit how many sandbox CPUs placement may put on one host CPU ({@code
 *     SANDBAR_HOST_CPU_OVERCOMMIT}); a sandbox's cpus are a cap, and idle sandboxes use none
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
    cpuOvercommit = cpuOvercommit <= 0 ? 8 : cpuOvercommit;
  }
}
