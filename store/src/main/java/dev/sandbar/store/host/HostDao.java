package dev.sandbar.store.host;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The API's view of the hosts: listing and draining (workers write through {@link
 * HostRegistryDao}).
 */
@RegisterConstructorMapper(Host.class)
public interface HostDao {

  /** Every column of {@link Host}; append a {@code where} or {@code order by} on {@code h}. */
  String SELECT =
      """
      select h.id, h.task_queue, h.state, h.cpus, h.memory_mb, h.max_sandboxes,
             array(select jsonb_array_elements_text(h.labels)) as labels,
             array(select jsonb_array_elements_text(h.images)) as images,
             h.docker_reachable, h.last_heartbeat_at, h.started_at,
             h.last_heartbeat_at > now() - interval '60 seconds' as heartbeat_fresh,
             (select count(*) from sandboxes s
               where s.host_id = h.id and s.state <> 'destroyed') as sandboxes
        from hosts h
      """;

  @SqlQuery(SELECT + " order by h.id")
  List<Host> list();

  @SqlQuery(SELECT + " where h.id = :id")
  Optional<Host> find(String id);

  /**
   * Whether an online host with a fresh heartbeat (within 60 seconds) reports its Docker daemon
   * reachable: the API's health check.
   */
  @SqlQuery(
      """
      select exists (
        select 1 from hosts
         where state = 'online'
           and docker_reachable
           and last_heartbeat_at > now() - interval '60 seconds')
      """)
  boolean anyDockerReachable();

  /** Placement skips draining hosts; their sandboxes keep running. */
  @SqlUpdate("update hosts set state = 'draining' where id = :id")
  int drain(String id);
}
