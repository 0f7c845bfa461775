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
   * whatever capacity, labels and images the worker now reports.
   */
  @SqlUpdate(
      """
      insert into hosts
          (id, task_queue, state, cpus, memory_mb, max_sandboxes, labels, images,
           docker_reachable, last_heartbeat_at, started_at)
      values
          (:hostId, :taskQueue, 'online', :cpus, :memoryMb, :maxSandboxes,
           to_jsonb(cast(:labels as text[])), to_jsonb(cast(:images as text[])), true, now(),
           now())
      on conflict (id) do update set
          task_queue = excluded.task_queue,
          state = excluded.state,
          cpus = excluded.cpus,
          memory_mb = excluded.memory_mb,
          max_sandboxes = excluded.max_sandboxes,
          labels = excluded.labels,
          images = excluded.images,
          docker_reachable = excluded.docker_reachable,
          last_heartbeat_at = excluded.last_heartbeat_at,
          started_at = excluded.started_at
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

  @SqlUpdate("update hosts set state = 'offline' where id = :hostId")
  int markOffline(@Bind("hostId") String hostId);

  @SqlQuery(HostDao.SELECT + " where h.id = :id")
  Optional<Host> find(@Bind("id") String id);

  /**
   * Locks, in id order so concurrent placements cannot deadlock, every host that may take a new
   * sandbox with {@code labels}: online, Docker reachable, heartbeat younger than {@code
   * freshSeconds}, and holding one of {@code imageNames} (any host when that is null). Holding
   * these locks until commit serialises placements on the same hosts.
   */
  @SqlQuery(
      """
      select id
      from hosts
      where state = 'online'
        and docker_reachable
        and last_heartbeat_at > now() - :freshSeconds * interval '1 second'
        and labels @> to_jsonb(cast(:labels as text[]))
        and (cast(:imageNames as text[]) is null
             or exists (select 1
                        from jsonb_array_elements_text(images) as held(name)
                        where held.name = any(cast(:imageNames as text[]))))
      order by id
      for update
      """)
  List<String> lockCandidates(
      @Bind("labels") String[] labels,
      @Bind("freshSeconds") int freshSeconds,
      @Bind("imageNames") String[] imageNames);

  /**
   * Of {@code hostIds}, the least loaded host that still has room for {@code cpus} and {@code
   * memoryMb} and one more sandbox. Load is the fullest of the three dimensions. Every sandbox not
   * yet destroyed counts, because a stopped or paused one can start again on the same host. The
   * tiny CPU tolerance keeps sums of fractional CPUs (0.1 + 0.2) from rejecting an exact fit.
   */
  @SqlQuery(
      """
      select h.id
      from hosts h
      left join sandboxes s on s.host_id = h.id and s.state <> 'destroyed'
      where h.id = any(:hostIds)
      group by h.id, h.cpus, h.memory_mb, h.max_sandboxes
      having coalesce(sum(s.cpus), 0) + :cpus <= h.cpus + 1e-9
         and coalesce(sum(s.memory_mb), 0) + :memoryMb <= h.memory_mb
         and count(s.id) < h.max_sandboxes
      order by greatest(
                   coalesce(sum(s.cpus), 0) / nullif(h.cpus, 0),
                   coalesce(sum(s.memory_mb), 0) / nullif(h.memory_mb, 0),
                   count(s.id)::double precision / nullif(h.max_sandboxes, 0)),
               h.id
      limit 1
      """)
  Optional<String> leastLoadedWithRoom(
      @Bind("hostIds") String[] hostIds,
      @Bind("cpus") double cpus,
      @Bind("memoryMb") long memoryMb);
}
