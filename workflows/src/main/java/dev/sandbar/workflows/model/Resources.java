package dev.sandbar.workflows.model;

/**
 * A sandbox's resources in the manner of Kubernetes: {@code cpus}, {@code memoryMb} and {@code
 * pids} are limits applied to the container; {@code requestCpus} and {@code requestMemoryMb} are
 * what placement counts against a host's capacity. A null request (a spec written before requests
 * existed) means the {@linkplain #DEFAULT_CPU_REQUEST_FRACTION default fraction} of the limit.
 *
 * @param requestCpus CPUs placement reserves on the host; at most {@code cpus}
 * @param requestMemoryMb memory placement reserves on the host; at most {@code memoryMb}
 */
public record Resources(
    double cpus, long memoryMb, long pids, Double requestCpus, Long requestMemoryMb) {

  /**
   * Share of the CPU limit a sandbox without an explicit request reserves: 50 millicores for the
   * default 1-CPU sandbox, so 40 default sandboxes fit on 2 cores. Sandboxes are mostly idle.
   */
  public static final double DEFAULT_CPU_REQUEST_FRACTION = 0.05;

  /** Share of the memory limit a sandbox without an explicit request reserves. */
  public static final double DEFAULT_MEMORY_REQUEST_FRACTION = 0.5;

  public static final Resources DEFAULT = new Resources(1.0, 512, 256);

  /** Limits only; the requests are left to the default fractions. */
  public Resources(double cpus, long memoryMb, long pids) {
    this(cpus, memoryMb, pids, null, null);
  }

  /**
   * The CPUs placement counts: the explicit request, else {@code cpuFraction} of the limit in whole
   * millicores (at least one), so 0.3 × 0.05 reads 0.015 rather than 0.015000000000000001.
   */
  public double effectiveRequestCpus(double cpuFraction) {
    return requestCpus != null
        ? requestCpus
        : Math.max(1, Math.round(cpus * cpuFraction * 1000)) / 1000.0;
  }

  /**
   * The memory placement counts: the explicit request, else {@code memoryFraction} of the limit,
   * rounded up to whole megabytes and at least one.
   */
  public long effectiveRequestMemoryMb(double memoryFraction) {
    return requestMemoryMb != null
        ? requestMemoryMb
        : Math.max(1, (long) Math.ceil(memoryMb * memoryFraction));
  }

  /** These limits with explicit requests: {@code fraction}s of the limits where none is given. */
  public Resources withDefaultRequests(double cpuFraction, double memoryFraction) {
    return new Resources(
        cpus,
        memoryMb,
        pids,
        effectiveRequestCpus(cpuFraction),
        effectiveRequestMemoryMb(memoryFraction));
  }
}
