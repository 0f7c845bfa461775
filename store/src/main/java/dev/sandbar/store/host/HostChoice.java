package dev.sandbar.store.host;

import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Chooses a host for a sandbox's requests among placeable hosts, or names the constraint that
 * leaves none: the host selector first, then {@code maxSandboxes}, then CPU, then memory. Of the
 * hosts that fit, the least allocated wins (ties by id, so the choice is deterministic). Shared by
 * the placement activity and the API's admission check so both give the same answer.
 */
public final class HostChoice {

  /** Keeps sums of fractional CPUs (forty times 0.05) from rejecting an exact fit. */
  private static final double CPU_TOLERANCE = 1e-9;

  private HostChoice() {}

  /**
   * What a sandbox asks of a host.
   *
   * @param selector {@code key=value} terms a host must all carry
   */
  public record Request(double cpus, long memoryMb, List<String> selector) {
    public Request {
      selector = selector == null ? List.of() : List.copyOf(selector);
    }
  }

  /** A chosen host, or why there is none. Exactly one of the two is set. */
  public record Outcome(Optional<String> hostId, String reason) {
    public static Outcome chosen(String hostId) {
      return new Outcome(Optional.of(hostId), null);
    }

    public static Outcome none(String reason) {
      return new Outcome(Optional.empty(), reason);
    }
  }

  /**
   * Chooses among {@code hosts} (already online, fresh and holding the image). {@code noHost} words
   * the reason when {@code hosts} is empty.
   */
  public static Outcome choose(List<HostAllocation> hosts, Request request, String noHost) {
    if (hosts.isEmpty()) {
      return Outcome.none(noHost);
    }
    List<HostAllocation> fit = keep(hosts, host -> host.labels().containsAll(request.selector()));
    if (fit.isEmpty()) {
      return Outcome.none(
          "no online host matches hostSelector " + String.join(",", request.selector()));
    }
    fit = keep(fit, host -> host.sandboxes() < host.maxSandboxes());
    if (fit.isEmpty()) {
      return Outcome.none(
          "every "
              + (request.selector().isEmpty() ? "online" : "matching")
              + " host is at"
              + " maxSandboxes");
    }
    fit = keep(fit, host -> host.requestedCpus() + request.cpus() <= host.cpus() + CPU_TOLERANCE);
    if (fit.isEmpty()) {
      return Outcome.none("no online host with room for " + request.cpus() + " requested CPUs");
    }
    fit = keep(fit, host -> host.requestedMemoryMb() + request.memoryMb() <= host.memoryMb());
    if (fit.isEmpty()) {
      return Outcome.none(
          "no online host with room for " + request.memoryMb() + " MB of requested memory");
    }
    return Outcome.chosen(
        fit.stream()
            .min(Comparator.comparingDouble(HostAllocation::load).thenComparing(HostAllocation::id))
            .orElseThrow()
            .id());
  }

  private static List<HostAllocation> keep(
      List<HostAllocation> hosts, Predicate<HostAllocation> condition) {
    return hosts.stream().filter(condition).toList();
  }
}
