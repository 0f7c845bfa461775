package dev.sandbar.store.host;

import java.time.Instant;
import java.util.List;

/**
 * One row of {@code hosts} as its worker and placement see it (the API's view is {@link HostRow}).
 * {@code state} is online, draining, unreachable or offline.
 */
public record Host(
    String id,
    String taskQueue,
    String state,
    double cpus,
    long memoryMb,
    int maxSandboxes,
    List<String> labels,
    boolean dockerReachable,
    Instant lastHeartbeatAt,
    Instant startedAt,
    List<String> images) {}
