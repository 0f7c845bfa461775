package dev.sandbar.store.host;

import java.time.Instant;

/**
 * A row of {@code hosts} as the API shows it, with the count of its live sandboxes (the worker's
 * view of the same row is {@link Host}).
 *
 * @param labels JSON array of the host's labels
 * @param images JSON array of the image references present on the host
 * @param heartbeatFresh whether the worker heartbeat within the last 60 seconds
 */
public record HostRow(
    String id,
    String taskQueue,
    String state,
    double cpus,
    long memoryMb,
    int maxSandboxes,
    String labels,
    String images,
    boolean dockerReachable,
    Instant lastHeartbeatAt,
    Instant startedAt,
    boolean heartbeatFresh,
    long sandboxes) {}
