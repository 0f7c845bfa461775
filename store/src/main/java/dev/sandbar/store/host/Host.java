package dev.sandbar.store.host;

import java.time.Instant;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One row of {@code hosts}, with whether its heartbeat is fresh and how many live sandboxes it
 * holds: what the API shows of a host and what a worker reads back of its registration. Workers
 * write the row through {@link HostRegistryDao}.
 *
 * @param state the host's liveness as its worker and the reconciliation wrote it: online,
 *     unreachable or offline ({@code draining} only on rows written before drain had a column of
 *     its own)
 * @param draining whether the operator drained the host: placement skips it, whatever its liveness,
 *     until it is undrained; a worker that registers again keeps it drained
 * @param labels the host's placement labels, in the order its worker reported them
 * @param images the image references present on the host
 * @param writableLayerLimit whether the host's storage driver limits a container's writable layer,
 *     as its worker found at start (null until one reported it)
 * @param userNamespaces whether the host's Docker daemon remaps container root (userns-remap), as
 *     its worker found at start; null when unknown
 * @param heartbeatFresh whether the worker heartbeat within the last 60 seconds
 * @param sandboxes how many sandboxes that are not destroyed live on the host
 */
public record Host(
    String id,
    String taskQueue,
    String state,
    boolean draining,
    double cpus,
    long memoryMb,
    int maxSandboxes,
    List<String> labels,
    List<String> images,
    boolean dockerReachable,
    Instant lastHeartbeatAt,
    Instant startedAt,
    @Nullable String writableLayerLimit,
    Boolean userNamespaces,
    boolean heartbeatFresh,
    long sandboxes) {

  /**
   * Whether the host can take and run work: online as written, a fresh heartbeat, Docker reachable.
   */
  public boolean reachable() {
    return "online".equals(state) && heartbeatFresh && dockerReachable;
  }

  /**
   * The state the API shows: {@code unreachable} wins over {@code draining}, which wins over {@code
   * online}.
   */
  public String apiState() {
    return !reachable() ? "unreachable" : draining ? "draining" : "online";
  }
}
