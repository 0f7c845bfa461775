package dev.sandbar.api.host;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sandbar.store.StoredJson;
import dev.sandbar.store.host.HostRow;
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

  private static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

  static HostResponse of(HostRow row) {
    return new HostResponse(
        row.id(),
        row.state(),
        "online".equals(row.state()) && row.heartbeatFresh(),
        row.taskQueue(),
        row.cpus(),
        row.memoryMb(),
        row.maxSandboxes(),
        row.sandboxes(),
        StoredJson.read(row.labels(), STRINGS),
        StoredJson.read(row.images(), STRINGS),
        row.dockerReachable(),
        row.lastHeartbeatAt(),
        row.startedAt());
  }
}
