package dev.sandbar.api.host;

import dev.sandbar.api.sandbox.RequestDefaults;
import dev.sandbar.store.host.Host;
import dev.sandbar.store.host.HostAllocation;
import dev.sandbar.store.host.HostDao;
import dev.sandbar.store.host.HostRegistryDao;
import dev.sandbar.store.host.UnclaimedContainer;
import dev.sandbar.store.host.UnclaimedContainerDao;
import dev.sandbar.store.pool.PoolDao;
import dev.sandbar.store.pool.PoolRow;
import dev.sandbar.workflows.model.SandboxState;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.springframework.stereotype.Service;

/**
 * Assembles {@link HostResponse}s: the host rows, their allocation (the store's placement query,
 * with the API's request fractions, so it shows what placement counts), their sandboxes by state
 * their unclaimed containers and their warm pools, in five queries whatever the number of hosts.
 */
@Service
class HostViews {

  private final HostDao hosts;
  private final HostRegistryDao registry;
  private final UnclaimedContainerDao unclaimed;
  private final PoolDao pools;
  private final RequestDefaults requests;

  HostViews(Jdbi jdbi, RequestDefaults requests) {
    Jdbi sql = jdbi.installPlugin(new SqlObjectPlugin());
    this.hosts = sql.onDemand(HostDao.class);
    this.registry = sql.onDemand(HostRegistryDao.class);
    this.unclaimed = sql.onDemand(UnclaimedContainerDao.class);
    this.pools = sql.onDemand(PoolDao.class);
    this.requests = requests;
  }

  List<HostResponse> views(List<Host> rows) {
    if (rows.isEmpty()) {
      return List.of();
    }
    String[] ids = rows.stream().map(Host::id).toArray(String[]::new);
    Map<String, HostAllocation> held =
        registry.allocations(ids, requests.cpuFraction(), requests.memoryFraction()).stream()
            .collect(Collectors.toMap(HostAllocation::id, Function.identity()));
    Map<String, Map<String, Long>> states = new LinkedHashMap<>();
    for (Host row : rows) {
      states.put(row.id(), emptyCounts());
    }
    for (HostDao.StateCount count : hosts.sandboxStates(ids)) {
      states.get(count.hostId()).put(count.state(), count.count());
    }
    Map<String, List<UnclaimedContainer>> found =
        unclaimed.onHosts(ids).stream().collect(Collectors.groupingBy(UnclaimedContainer::hostId));
    Map<String, List<PoolRow>> pooled =
        pools.onHosts(ids).stream().collect(Collectors.groupingBy(PoolRow::hostId));
    return rows.stream()
        .map(
            row ->
                HostResponse.of(
                    row,
                    held.get(row.id()),
                    states.get(row.id()),
                    found.getOrDefault(row.id(), List.of()),
                    pooled.getOrDefault(row.id(), List.of())))
        .toList();
  }

  HostResponse view(Host row) {
    return views(List.of(row)).getFirst();
  }

  /** Every state a sandbox on a host can be in, at zero, in lifecycle order. */
  private static Map<String, Long> emptyCounts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    for (SandboxState state : SandboxState.values()) {
      if (state != SandboxState.DESTROYED) {
        counts.put(state.wire(), 0L);
      }
    }
    return counts;
  }
}
