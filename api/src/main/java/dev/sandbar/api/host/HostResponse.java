package dev.sandbar.api.host;

import dev.sandbar.store.host.Host;
import dev.sandbar.store.host.HostAllocation;
import dev.sandbar.store.host.UnclaimedContainer;
import dev.sandbar.store.pool.PoolRow;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A Docker host as its worker last reported it, with what its sandboxes hold of it.
 *
 * @param state {@code unreachable} when the host cannot take or run work (its worker stopped or
 *     went silent for 60 seconds, its Docker daemon does not answer, or reconciliation could not
 *     reach it), else {@code draining} when the operator drained it, else {@code online}
 * @param online whether the host takes new sandboxes: reachable and not drained
 * @param draining whether the operator drained the host (kept while it is unreachable and across
 *     its worker's restarts)
 * @param reachable whether its worker heartbeats and its Docker daemon answers
 * @param cpus capacity: the CPUs placement may request on the host (cores times overcommit)
 * @param memoryMb capacity: the memory placement may request on the host
 * @param maxSandboxes capacity: the most sandboxes not destroyed the host may hold
 * @param allocation what its sandboxes hold, counted as placement counts it
 * @param sandboxes how many sandboxes that are not destroyed live on the host
 * @param sandboxStates those sandboxes counted by state (every state but {@code destroyed})
 * @param images the image references present on the host
 * @param writableLayerLimit whether the host's storage driver limits each container's writable
 *     layer ({@code storage-opt size}): {@code supported (driver)...}, or {@code unsupported: why}
 *     (for example overlay2 on ext4); null until the host's worker reported it
 * @param unclaimed containers of this installation found on the host that belong to no sandbox, as
 *     the host's last reconciliation reported them (empty until one has)
 * @param userNamespaces whether the host's Docker daemon runs containers in a user namespace
 *     (container root is not host root), as its worker found at start; null when unknown
 * @param pool the host's warm pool: started containers waiting to be claimed by a create of their
 *     image ({@code ready}) or being removed ({@code retiring}); they are no sandboxes and count
 *     against no quota or capacity
 * @param evacuated what became of each sandbox on the host; only in the answer of {@code POST
 *     /v1/hosts/{id}/drain?evacuate=true}, null elsewhere
 */
record HostResponse(
    String id,
    String state,
    boolean online,
    boolean draining,
    boolean reachable,
    String taskQueue,
    double cpus,
    long memoryMb,
    int maxSandboxes,
    Allocation allocation,
    long sandboxes,
    Map<String, Long> sandboxStates,
    List<String> labels,
    List<String> images,
    boolean dockerReachable,
    Instant lastHeartbeatAt,
    Instant startedAt,
    @Nullable String writableLayerLimit,
    List<Unclaimed> unclaimed,
    @Nullable Boolean userNamespaces,
    List<Pooled> pool,
    @Nullable List<Evacuated> evacuated) {

  /**
   * What an evacuation did with one sandbox.
   *
   * @param outcome {@code moved} (to {@code hostId}, in the state it was in), {@code stopped} (it
   *     could not move: {@code reason}), or {@code left} (it could neither move nor be stopped:
   *     already stopped, in error, missing or destroyed)
   * @param state the sandbox's state afterwards (null when left)
   */
  record Evacuated(
      String sandboxId,
      String outcome,
      @Nullable String hostId,
      @Nullable String state,
      @Nullable String reason) {}

  /** This host with an evacuation's outcomes. */
  HostResponse withEvacuated(List<Evacuated> outcomes) {
    return new HostResponse(
        id,
        state,
        online,
        draining,
        reachable,
        taskQueue,
        cpus,
        memoryMb,
        maxSandboxes,
        allocation,
        sandboxes,
        sandboxStates,
        labels,
        images,
        dockerReachable,
        lastHeartbeatAt,
        startedAt,
        writableLayerLimit,
        unclaimed,
        userNamespaces,
        pool,
        List.copyOf(outcomes));
  }

  /**
   * The requests the host's sandboxes hold: a running one its CPU and memory request, a paused one
   * its memory only, a stopped one nothing.
   *
   * @param cpus requested CPUs held
   * @param memoryMb requested memory held
   * @param sandboxes sandboxes counted against {@code maxSandboxes} (every one not destroyed)
   * @param load the fullest of the three, from 0 (empty) to 1 (full): what placement ranks by
   */
  record Allocation(double cpus, long memoryMb, int sandboxes, double load) {

    static Allocation of(HostAllocation held) {
      return new Allocation(
          held.requestedCpus(), held.requestedMemoryMb(), held.sandboxes(), held.load());
    }
  }

  /**
   * A container found on the host that no sandbox claims.
   *
   * @param sandboxId the sandbox id label it carries, unknown to Sandbar (null when none)
   * @param hasVolume whether it has a data volume (such a container is never removed)
   */
  record Unclaimed(
      String containerId,
      String name,
      String sandboxId,
      boolean hasVolume,
      Instant firstSeenAt,
      Instant lastSeenAt) {

    static Unclaimed of(UnclaimedContainer row) {
      return new Unclaimed(
          row.containerId(),
          row.name(),
          row.sandboxId(),
          row.hasVolume(),
          row.firstSeenAt(),
          row.lastSeenAt());
    }
  }

  /**
   * A warm-pool container of the host.
   *
   * @param state {@code ready} (a create of its image claims it) or {@code retiring} (being
   *     removed: the pool shrank, its image changed, or it died)
   */
  record Pooled(String id, String image, String containerName, String state, Instant createdAt) {

    static Pooled of(PoolRow row) {
      return new Pooled(
          row.slotId(), row.image(), row.containerName(), row.state(), row.createdAt());
    }
  }

  static HostResponse of(
      Host row,
      HostAllocation held,
      Map<String, Long> sandboxStates,
      List<UnclaimedContainer> unclaimed,
      List<PoolRow> pool) {
    boolean reachable = row.reachable();
    String state = row.apiState();
    return new HostResponse(
        row.id(),
        state,
        "online".equals(state),
        row.draining(),
        reachable,
        row.taskQueue(),
        row.cpus(),
        row.memoryMb(),
        row.maxSandboxes(),
        Allocation.of(held),
        row.sandboxes(),
        sandboxStates,
        row.labels(),
        row.images(),
        row.dockerReachable(),
        row.lastHeartbeatAt(),
        row.startedAt(),
        row.writableLayerLimit(),
        unclaimed.stream().map(Unclaimed::of).toList(),
        row.userNamespaces(),
        pool.stream().filter(p -> !PoolRow.CLAIMED.equals(p.state())).map(Pooled::of).toList(),
        null);
  }
}
