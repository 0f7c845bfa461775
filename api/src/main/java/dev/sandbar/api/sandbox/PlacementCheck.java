package dev.sandbar.api.sandbox;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.store.host.HostAllocation;
import dev.sandbar.store.host.HostChoice;
import dev.sandbar.store.host.HostRegistryDao;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.springframework.stereotype.Service;

/**
 * Refuses a create that no host could take, before anything is written, with the constraint that
 * binds: the same choice placement makes, without its locks. A sandbox that passes may still lose
 * the race for the last room to a concurrent create; its workflow then ends in {@code error} naming
 * the same constraint.
 */
@Service
class PlacementCheck {

  /** As placement's heartbeat freshness: a host silent for longer takes no new sandboxes. */
  private static final int FRESH_SECONDS = 60;

  private final HostRegistryDao hosts;
  private final RequestDefaults requests;

  PlacementCheck(Jdbi jdbi, RequestDefaults requests) {
    this.hosts = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(HostRegistryDao.class);
    this.requests = requests;
  }

  /** Throws a 503 {@code no-host-capacity} problem when no online host fits {@code spec}. */
  void requireRoom(SandboxSpec spec) {
    Resources resources = spec.resources();
    List<String> candidates = hosts.candidates(FRESH_SECONDS, new String[] {spec.image()});
    List<HostAllocation> allocations =
        candidates.isEmpty()
            ? List.of()
            : hosts.allocations(
                candidates.toArray(String[]::new),
                requests.cpuFraction(),
                requests.memoryFraction());
    HostChoice.Outcome outcome =
        HostChoice.choose(
            allocations,
            new HostChoice.Request(
                resources.effectiveRequestCpus(requests.cpuFraction()),
                resources.effectiveRequestMemoryMb(requests.memoryFraction()),
                spec.hostLabels()),
            "no online host has image " + spec.image());
    if (outcome.hostId().isEmpty()) {
      throw ApiProblem.of(ProblemType.NO_HOST_CAPACITY, outcome.reason());
    }
  }
}
