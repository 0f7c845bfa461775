package dev.sandbar.store.sandbox;

import dev.sandbar.store.audit.SandboxEvent;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jspecify.annotations.Nullable;

/**
 * The API's access to the sandboxes read model (the workflow's writes are {@link
 * SandboxStatusDao}'s). Apart from the insert that precedes a workflow's start (and the delete when
 * that start fails), only the sandbox workflow writes these rows.
 */
@RegisterConstructorMapper(SandboxRow.class)
@RegisterConstructorMapper(SandboxEvent.class)
public interface SandboxDao {

  String COLUMNS =
      """
      id, tenant_id, host_id, lower(state) as state, error, image, spec::text as spec,
      archive_id, seq, created_at, updated_at, last_activity_at, health
      """;

  @SqlQuery("select " + COLUMNS + " from sandboxes where id = :id and tenant_id = :tenantId")
  Optional<SandboxRow> find(String tenantId, String id);

  /** Any tenant's sandbox: for the admin's operations (a force destroy). */
  @SqlQuery("select " + COLUMNS + " from sandboxes where id = :id")
  Optional<SandboxRow> findAnyTenant(String id);

  @SqlQuery(
      "select "
          + COLUMNS
          + " from sandboxes where tenant_id = :tenantId and idempotency_key = :idempotencyKey")
  Optional<SandboxRow> findByIdempotencyKey(String tenantId, String idempotencyKey);

  /** Inserts nothing (and answers 0) when the tenant already used the idempotency key. */
  @SqlUpdate(
      """
      insert into sandboxes (id, tenant_id, state, image, cpus, memory_mb, spec, labels,
                             idempotency_key, idempotency_hash, seq, created_at, updated_at,
                             last_activity_at)
      values (:id, :tenantId, 'creating', :image, :cpus, :memoryMb, cast(:spec as jsonb),
              cast(:labels as jsonb), :idempotencyKey, :idempotencyHash, 0, :createdAt,
              :createdAt, :createdAt)
      on conflict (tenant_id, idempotency_key) do nothing
      """)
  int insert(@BindMethods NewSandbox sandbox);

  /** Removes a row whose workflow could not be started, unless a workflow has written it since. */
  @SqlUpdate("delete from sandboxes where id = :id and seq = 0")
  int deleteUnstarted(String id);

  /** Whether an online, undrained host with a fresh heartbeat reports {@code image} as present. */
  @SqlQuery(
      """
      select exists (
        select 1 from hosts
         where state = 'online'
           and not draining
           and last_heartbeat_at > now() - interval '60 seconds'
           and images @> jsonb_build_array(cast(:image as text)))
      """)
  boolean imageAvailable(String image);

  /** What a page of {@link #page} and {@link #pageNewestFirst} holds: the tenant's, filtered. */
  String PAGE_FILTERS =
      """
       where tenant_id = :tenantId
         and (cast(:states as text[]) is null or lower(state) = any(cast(:states as text[])))
         and labels @> cast(:labels as jsonb)
      """;

  /**
   * Keyset paging over {@code (created_at, id)}: stable while rows are inserted, and each page
   * costs the same however deep it is.
   *
   * @param states the (lower-case) states to list; null for all
   * @param labels a JSON object every returned sandbox's labels must contain ({@code {}} for all)
   */
  @SqlQuery(
      "select "
          + COLUMNS
          + " from sandboxes"
          + PAGE_FILTERS
          + """
             and (cast(:afterCreatedAt as timestamptz) is null
                  or (created_at, id) > (cast(:afterCreatedAt as timestamptz), cast(:afterId as text)))
           order by created_at, id
           limit :limit
          """)
  List<SandboxRow> page(
      String tenantId,
      String @Nullable [] states,
      String labels,
      @Nullable Instant afterCreatedAt,
      @Nullable String afterId,
      int limit);

  /** As {@link #page}, newest first (E2B's default order). */
  @SqlQuery(
      "select "
          + COLUMNS
          + " from sandboxes"
          + PAGE_FILTERS
          + """
             and (cast(:afterCreatedAt as timestamptz) is null
                  or (created_at, id) < (cast(:afterCreatedAt as timestamptz), cast(:afterId as text)))
           order by created_at desc, id desc
           limit :limit
          """)
  List<SandboxRow> pageNewestFirst(
      String tenantId,
      String @Nullable [] states,
      String labels,
      @Nullable Instant afterCreatedAt,
      @Nullable String afterId,
      int limit);

  /**
   * Sandboxes in a transient state not updated for {@code olderThanSeconds}; all tenants if null.
   */
  @SqlQuery(
      "select "
          + COLUMNS
          + """
            from sandboxes
           where (cast(:tenantId as text) is null or tenant_id = cast(:tenantId as text))
             and lower(state) in ('creating', 'starting', 'pausing', 'resuming', 'stopping',
                                  'destroying')
             and updated_at < now() - make_interval(secs => cast(:olderThanSeconds as double precision))
           order by updated_at, id
           limit 500
          """)
  List<SandboxRow> stuck(@Nullable String tenantId, long olderThanSeconds);

  @SqlQuery(
      """
      select seq, at, lower(actor) as actor, action, lower(from_state) as from_state,
             lower(to_state) as to_state, reason, outcome, error
        from audit_events
       where sandbox_id = :sandboxId and tenant_id = :tenantId
       order by seq, at
      """)
  List<SandboxEvent> events(String tenantId, String sandboxId);
}
