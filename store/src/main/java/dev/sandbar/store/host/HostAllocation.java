package dev.sandbar.store.host;

import java.util.List;

/**
 * A placeable host with what its sandboxes hold of it, counted as requests: every live sandbox
 * holds its CPU and memory request, a paused one its memory only, a stopped one nothing. Every
 * sandbox not destroyed counts against {@code maxSandboxes}, because its container and volume are
 * still there.
 *
 * @param labels the host's placement labels ({@code key=value} terms)
 */
public record HostAllocation(
    String id,
    double cpus,
    long memoryMb,
    int maxSandboxes,
    List<String> labels,
    double requestedCpus,
    long requestedMemoryMb,
    int sandboxes) {

  public HostAllocation {
    labels = labels == null ? List.of() : List.copyOf(labels);
  }

  /** The fullest of the three dimensions, 0 (empty) to 1 (full); what "least allocated" ranks. */
  public double load() {
    return Math.max(
        Math.max(ratio(requestedCpus, cpus), ratio(requestedMemoryMb, memoryMb)),
        ratio(sandboxes, maxSandboxes));
  }

  private static double ratio(double used, double capacity) {
    return capacity <= 0 ? 1 : used / capacity;
  }
}
