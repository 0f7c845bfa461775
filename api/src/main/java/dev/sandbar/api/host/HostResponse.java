package dev.sandbar.api.host;

import dev.sandbar.store.host.Host;
import java.time.Instant;
import java.util.List;

/**
 * A Docker host as its worker last reported it.
 *
 * @param state {@code online}, {@code draining}, {@code unreachable} or {@code offline}
 * @param online whether the host is online and heartbeat within the last 60 seconds
 * @param sandboxes how many sandboxes that are not destroyed live on the host
 * @param images the image references present on the host
 */
record HostResponse(
    String id,
    String state,
    boolean online,
    String taskQueue,
    double cpus,
    long memoryMb,
    int maxSandboxes,
    long sandboxes,
    List<String> labels,
    List<String> images,
    boolean dockerReachable,
    Instant lastHeartbeatAt,
    Instant startedAt) {

  static HostResponse of(Host row) {
    return new HostResponse(
        row.id(),
        row.state(),
        "online".equals(row.state()) && row.heartbeatFresh(),
        row.taskQueue(),
        row.cpus(),
        row.memoryMb(),
        row.maxSandboxes(),
        row.sandboxes(),
        row.labels(),
        row.images(),
        row.dockerReachable(),
        row.lastHeartbeatAt(),
        row.startedAt());
  }
}
