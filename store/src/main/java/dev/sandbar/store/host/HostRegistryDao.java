package dev.sandbar.store.host;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * Docker hosts as workers and placement see them: registration and heartbeats from workers,
 * capacity queries for placement. The API reads and drains them through {@link HostDao}.
 */
@RegisterConstructorMapper(Host.class)
public interface HostRegistryDao {

  /**
   * Creates or refreshes the host's row when its worker starts: the host is online again, with
   * whatever capacity, labels and images the worker now reports. A drained host stays drained: the
   * operator's decision outlives the worker's restart (a {@code draining} state written before
   * drain had its own column moves into that column).
   */
  @SqlUpdate(
      """
      insert into hosts
          (id, task_queue, state, cpus, memory_mb, max_sandboxes, labels, images,
           docker_reachable, last_heartbeat_at, started_at, writable_layer_limit, user_namespaces)
      values
          (:hostId, :taskQueue, 'online', :cpus, :memoryMb, :maxSandboxes,
           to_jsonb(cast(:labels as text[])), to_jsonb(cast(:images as text[])), true, now(),
           now(), :writableLayerLimit, :userNamespaces)
      on conflict (id) do update set
          task_queue = excluded.task_queue,
          state = excluded.state,
          draining = hosts.draining or hosts.state = 'draining',
          cpus = excluded.cpus,
          memory_mb = excluded.memory_mb,
          max_sandboxes = excluded.max_sandboxes,
          labels = excluded.labels,
          images = excluded.images,
          docker_reachable = excluded.docker_reachable,
          last_heartbeat_at = excluded.last_heartbeat_at,
          started_at = excluded.started_at,
          writable_layer_limit = excluded.writable_layer_limit,
          user_namespaces = excluded.user_namespaces
      """)
  void upsert(@BindMethods HostRegistration registration);

  /**
   * Stamps the heartbeat. It leaves the state alone, so a drain or an offline mark is not undone by
   * a heartbeat in flight. Null {@code images} keeps the stored list (a worker whose daemon did not
   * answer cannot list them). Returns 0 when the row is gone and the worker must register again.
   */
  @SqlUpdate(
      """
      update hosts
      set last_heartbeat_at = now(),
          docker_reachable = :dockerReachable,
          images = coalesce(to_jsonb(cast(:images as text[])), images)
      where id = :hostId
      """)
  int heartbeat(
      @Bind("hostId") String hostId,
      @Bind("dockerReachable") boolean dockerReachable,
      @Bind("images") List<String> images);

  /**
   * Records where the host's worker serves its sandboxes' files, or that it serves none ({@code
   * url} null), after each registration: a worker restarted without the endpoint withdraws it.
   */
  @SqlUpdate("update hosts set files_url = :url where id = :hostId")
  int advertiseFiles(@Bind("hostId") String hostId, @Bind("url") String url);

  /** The worker stopped cleanly; a drained host stays drained. */
  @SqlUpdate(
      """
      update hosts
      set state = 'offline',
          draining = draining or state = 'draining'
      where id = :hostId
      """)
  int markOffline(@Bind("hostId") String hostId);

  @SqlQuery(HostDao.SELECT + " where h.id = :id")
  Optional<Host> find(@Bind("id") String id);

  /**
   * Hosts that may take a new sandbox: online and not drained, Docker reachable, heartbeat younger
   * than {@code freshSeconds}, and holding one of {@code imageNames} (any host when that is null).
   */
  String CANDIDATES =
      """
      select id
      from hosts
      where state = 'online'
        and not draining
        and docker_reachable
        and last_heartbeat_at > now() - :freshSeconds * interval '1 second'
        and (cast(:imageNames as text[]) is null
             or exists (select 1
                        from jsonb_array_elements_text(images) as held(name)
                        where held.name = any(cast(:imageNames as text[]))))
      order by id
      """;

  /**
   * Locks the {@link #CANDIDATES candidate hosts} in id order, so concurrent placements cannot
   * deadlock. Holding these locks until commit serialises placements on the same hosts.
   */
  @SqlQuery(CANDIDATES + " for update")
  List<String> lockCandidates(
      @Bind("freshSeconds") int freshSeconds, @Bind("imageNames") String[] imageNames);

  /** The {@link #CANDIDATES candidate hosts}, unlocked: for a check ahead of placement. */
  @SqlQuery(CANDIDATES)
  List<String> candidates(
      @Bind("freshSeconds") int freshSeconds, @Bind("imageNames") String[] imageNames);

  /**
   * What the sandboxes on {@code hostIds} hold, as {@link HostAllocation} describes. A sandbox
   * placed before requests were recorded holds the given fractions of its limits.
   */
  @SqlQuery(
      """
      select h.id, h.cpus, h.memory_mb, h.max_sandboxes,
             array(select jsonb_array_elements_text(h.labels)) as labels,
             coalesce(sum(coalesce(s.request_cpus, s.cpus * :cpuFraction))
                        filter (where s.state not in ('stopped', 'paused')), 0)
               as requested_cpus,
             coalesce(sum(coalesce(s.request_memory_mb, ceil(s.memory_mb * :memoryFraction)))
                        filter (where s.state <> 'stopped'), 0)::bigint
               as requested_memory_mb,
             count(s.id)::int as sandboxes
      from hosts h
      left join sandboxes s on s.host_id = h.id and s.state <> 'destroyed'
      where h.id = any(:hostIds)
      group by h.id
      order by h.id
      """)
  @RegisterConstructorMapper(HostAllocation.class)
  List<HostAllocation> allocations(
      @Bind("hostIds") String[] hostIds,
      @Bind("cpuFraction") double cpuFraction,
      @Bind("memoryFraction") double memoryFraction);
}
