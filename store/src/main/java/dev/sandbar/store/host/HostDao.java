package dev.sandbar.store.host;

import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jdbi.v3.sqlobject.transaction.Transaction;

/**
 * The API's view of the hosts: listing, sandbox counts, draining and the hosts' audit trail
 * (workers write through {@link HostRegistryDao}).
 */
@RegisterConstructorMapper(Host.class)
public interface HostDao {

  /** Every column of {@link Host}; append a {@code where} or {@code order by} on {@code h}. */
  String SELECT =
      """
      select h.id, h.task_queue, h.state, h.draining or h.state = 'draining' as draining,
             h.cpus, h.memory_mb, h.max_sandboxes,
             array(select jsonb_array_elements_text(h.labels)) as labels,
             array(select jsonb_array_elements_text(h.images)) as images,
             h.docker_reachable, h.last_heartbeat_at, h.started_at, h.writable_layer_limit,
             h.user_namespaces,
             h.last_heartbeat_at > now() - interval '60 seconds' as heartbeat_fresh,
             (select count(*) from sandboxes s
               where s.host_id = h.id and s.state <> 'destroyed') as sandboxes
        from hosts h
      """;

  @SqlQuery(SELECT + " order by h.id")
  List<Host> list();

  @SqlQuery(SELECT + " where h.id = :id")
  Optional<Host> find(@Bind("id") String id);

  /**
   * Where the worker of the host that runs the sandbox serves that host's files (see {@link
   * HostRegistryDao#advertiseFiles}); empty when the sandbox has no host or its worker serves none.
   */
  @SqlQuery(
      """
      select h.files_url from sandboxes s join hosts h on h.id = s.host_id
       where s.id = :sandboxId and h.files_url is not null
      """)
  Optional<String> filesEndpointOfSandbox(@Bind("sandboxId") String sandboxId);

  /** Whether the host's worker advertises a files endpoint. */
  @SqlQuery("select exists (select 1 from hosts where id = :id and files_url is not null)")
  boolean servesFiles(@Bind("id") String id);

  /**
   * Whether an online host with a fresh heartbeat (within 60 seconds) reports its Docker daemon
   * reachable and takes sandboxes (is not drained): the API's health check.
   */
  @SqlQuery(
      """
      select exists (
        select 1 from hosts
         where state = 'online'
           and not draining
           and docker_reachable
           and last_heartbeat_at > now() - interval '60 seconds')
      """)
  boolean anyDockerReachable();

  /** How many sandboxes on one host are in one state. */
  record StateCount(String hostId, String state, long count) {}

  /** The sandboxes on {@code hostIds} that are not destroyed, counted by host and state. */
  @SqlQuery(
      """
      select host_id, state, count(*) as count
      from sandboxes
      where host_id = any(:hostIds) and state <> 'destroyed'
      group by host_id, state
      order by host_id, state
      """)
  @RegisterConstructorMapper(StateCount.class)
  List<StateCount> sandboxStates(@Bind("hostIds") String[] hostIds);

  /** The sandboxes on the host that are not destroyed, oldest first. */
  @SqlQuery(
      """
      select id from sandboxes
      where host_id = :hostId and state <> 'destroyed'
      order by created_at, id
      """)
  List<String> sandboxesOn(@Bind("hostId") String hostId);

  /**
   * Drains ({@code draining} true) or undrains the host and, when that changes anything, appends
   * the change to its audit trail, in one transaction. Placement skips a drained host; its
   * sandboxes keep running. Idempotent: draining a drained host changes and audits nothing.
   *
   * @return the host after the change, empty when there is no such host
   */
  @Transaction
  default Optional<Host> setDraining(String id, boolean draining, String actor, String reason) {
    if (lockHost(id).isEmpty()) {
      return Optional.empty();
    }
    if (updateDraining(id, draining) > 0) {
      audit(id, actor, draining ? "drain" : "undrain", reason);
    }
    return find(id);
  }

  @SqlQuery("select id from hosts where id = :id for update")
  Optional<String> lockHost(@Bind("id") String id);

  /** A {@code draining} state written before drain had its own column counts as drained. */
  @SqlUpdate(
      """
      update hosts
      set draining = :draining,
          state = case when state = 'draining' then 'online' else state end
      where id = :id
        and (draining or state = 'draining') <> :draining
      """)
  int updateDraining(@Bind("id") String id, @Bind("draining") boolean draining);

  @SqlUpdate(
      """
      insert into host_events (host_id, actor, action, reason)
      values (:hostId, :actor, :action, :reason)
      """)
  void audit(
      @Bind("hostId") String hostId,
      @Bind("actor") String actor,
      @Bind("action") String action,
      @Bind("reason") String reason);

  /** The host's audit trail, oldest first. */
  @SqlQuery(
      """
      select id, host_id, actor, action, reason, at
      from host_events
      where host_id = :hostId
      order by id
      """)
  @RegisterConstructorMapper(HostEvent.class)
  List<HostEvent> events(@Bind("hostId") String hostId);
}
