package dev.sandbar.workflows.model;

/**
 * One sample of a sandbox's resource use, read from its host's Docker daemon. Each group says on
 * its own whether the backend could measure it: a stopped sandbox has no CPU, memory or process
 * figures but still has a data volume; a daemon may not know a volume's size.
 *
 * @param supported whether live figures (CPU, memory, pids) could be sampled at all
 * @param reason why not, when {@code supported} is false
 * @param sampledAtMs when the host took the sample (the host's clock)
 */
public record SandboxMetrics(
    boolean supported,
    String reason,
    long sampledAtMs,
    Cpu cpu,
    Memory memory,
    Pids pids,
    Disk disk) {

  /**
   * @param percent share of one CPU used between Docker's two readings (100 = one full core), as
   *     {@code docker stats} shows it
   * @param cumulativeSeconds CPU time the container has used since it started
   */
  public record Cpu(boolean supported, String reason, Double percent, Double cumulativeSeconds) {
    public static Cpu unsupported(String reason) {
      return new Cpu(false, reason, null, null);
    }
  }

  /**
   * @param usageBytes memory in use, page cache that can be reclaimed excluded (as {@code docker
   *     stats} counts it)
   * @param limitBytes the container's memory limit
   */
  public record Memory(boolean supported, String reason, Long usageBytes, Long limitBytes) {
    public static Memory unsupported(String reason) {
      return new Memory(false, reason, null, null);
    }
  }

  /**
   * @param current processes and threads in the container
   * @param limit the container's pids limit (null when it has none)
   */
  public record Pids(boolean supported, String reason, Long current, Long limit) {
    public static Pids unsupported(String reason) {
      return new Pids(false, reason, null, null);
    }
  }

  /**
   * @param usedBytes bytes used by the sandbox's data volume, as Docker measures it
   */
  public record Disk(boolean supported, String reason, Long usedBytes) {
    public static Disk unsupported(String reason) {
      return new Disk(false, reason, null);
    }
  }

  /** Nothing could be sampled (no host to ask, or the host did not answer). */
  public static SandboxMetrics unsupported(String reason, long sampledAtMs) {
    return new SandboxMetrics(
        false,
        reason,
        sampledAtMs,
        Cpu.unsupported(reason),
        Memory.unsupported(reason),
        Pids.unsupported(reason),
        Disk.unsupported(reason));
  }
}
