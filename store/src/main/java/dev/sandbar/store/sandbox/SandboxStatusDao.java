package dev.sandbar.store.sandbox;

import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/**
 * The workflow-owned columns of the {@code sandboxes} read model, written by the store activities.
 * The API's reads and its insert before a workflow starts are {@link SandboxDao}'s.
 */
@RegisterConstructorMapper(SandboxStatus.class)
public interface SandboxStatusDao {

  /**
   * Writes {@code status} only if it is newer than what the row holds, so a late or repeated write
   * cannot move the sandbox backwards. A null host id keeps the stored one: a transition written
   * before placement may land after it (the workflow writes asynchronously), and un-placing the
   * sandbox would hide it from the capacity check. A transition clears the container's health until
   * reconciliation reports it again. Returns the number of rows changed.
   */
  @SqlUpdate(
      """
      update sandboxes
      set state = :state,
          host_id = coalesce(:hostId, host_id),
          container_id = :containerId,
          error = :error,
          seq = :seq,
          archive_id = :archiveId,
          updated_at = :updatedAt,
          last_activity_at = :lastActivityAt,
          health = null
      where id = :id and seq < :seq
      """)
  int applyIfNewer(@BindMethods SandboxStatus status);

  /**
   * Sets the lifetime ({@code ttlSeconds}) in the row's stored spec, the one part of the spec that
   * changes after creation. Returns the number of rows changed.
   */
  @SqlUpdate(
      """
      update sandboxes
      set spec = jsonb_set(spec, '{ttlSeconds}', to_jsonb(cast(:ttlSeconds as bigint)))
      where id = :id
      """)
  int setTtlSeconds(@Bind("id") String id, @Bind("ttlSeconds") long ttlSeconds);

  @SqlQuery(
      """
      select id, state, host_id, container_id, error, seq, archive_id, updated_at,
             last_activity_at
      from sandboxes
      where id = :id
      """)
  Optional<SandboxStatus> find(@Bind("id") String id);

  /**
   * Locks the sandbox row for the rest of the transaction and returns it, so two placements of the
   * same sandbox (a retry racing a slow first attempt) cannot choose two hosts.
   */
  @SqlQuery(
      """
      select id, state, host_id, container_id, error, seq, archive_id, updated_at,
             last_activity_at
      from sandboxes
      where id = :id
      for update
      """)
  Optional<SandboxStatus> lock(@Bind("id") String id);

  /**
   * Records the placement and what it reserved there (see {@code HostAllocation}). Returns 0 when
   * the row does not exist.
   */
  @SqlUpdate(
      """
      update sandboxes
      set host_id = :hostId, request_cpus = :requestCpus, request_memory_mb = :requestMemoryMb
      where id = :id
      """)
  int assignHost(
      @Bind("id") String id,
      @Bind("hostId") String hostId,
      @Bind("requestCpus") double requestCpus,
      @Bind("requestMemoryMb") long requestMemoryMb);
}
