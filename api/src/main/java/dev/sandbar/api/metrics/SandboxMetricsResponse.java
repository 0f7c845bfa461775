package dev.sandbar.api.metrics;

import dev.sandbar.workflows.model.SandboxMetrics;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A sandbox's resource use as {@code GET /v1/sandboxes/{id}/metrics} answers it. Each group carries
 * its own {@code supported} and {@code reason}: a stopped sandbox has no live CPU, memory or pids
 * figures ({@code supported: false} at the top too) but its data volume still has a size.
 *
 * @param supported whether live figures (CPU, memory, pids) could be sampled
 * @param reason why not, when {@code supported} is false
 * @param sampledAt when the host took the sample
 */
public record SandboxMetricsResponse(
    String sandboxId,
    String state,
    boolean supported,
    @Nullable String reason,
    Instant sampledAt,
    Cpu cpu,
    Memory memory,
    Pids pids,
    Disk disk) {

  /**
   * @param percent share of one core used over Docker's last second (100 = one full core)
   * @param cumulativeSeconds CPU time used since the container started
   */
  public record Cpu(
      boolean supported,
      @Nullable String reason,
      @Nullable Double percent,
      @Nullable Double cumulativeSeconds) {}

  /** Memory in use (reclaimable page cache excluded) and the container's limit, in bytes. */
  public record Memory(
      boolean supported,
      @Nullable String reason,
      @Nullable Long usageBytes,
      @Nullable Long limitBytes) {}

  /** Processes and threads now, and the container's limit. */
  public record Pids(
      boolean supported, @Nullable String reason, @Nullable Long current, @Nullable Long limit) {}

  /** Bytes the sandbox's data volume uses on its host. */
  public record Disk(boolean supported, @Nullable String reason, @Nullable Long usedBytes) {}

  static SandboxMetricsResponse of(String sandboxId, String state, SandboxMetrics m) {
    return new SandboxMetricsResponse(
        sandboxId,
        state,
        m.supported(),
        m.reason(),
        Instant.ofEpochMilli(m.sampledAtMs()),
        new Cpu(
            m.cpu().supported(), m.cpu().reason(), m.cpu().percent(), m.cpu().cumulativeSeconds()),
        new Memory(
            m.memory().supported(),
            m.memory().reason(),
            m.memory().usageBytes(),
            m.memory().limitBytes()),
        new Pids(m.pids().supported(), m.pids().reason(), m.pids().current(), m.pids().limit()),
        new Disk(m.disk().supported(), m.disk().reason(), m.disk().usedBytes()));
  }
}
