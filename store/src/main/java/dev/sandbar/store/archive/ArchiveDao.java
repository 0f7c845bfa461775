package dev.sandbar.store.archive;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.config.RegisterConstructorMapper;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.customizer.BindMethods;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;
import org.jspecify.annotations.Nullable;

/**
 * Archive metadata. Sandbox workflows write the rows ({@link #upsert}) and worker start-up
 * quarantines them; the API only reads them and marks them deleted, every API query scoped to one
 * tenant.
 */
@RegisterConstructorMapper(ArchiveRow.class)
public interface ArchiveDao {

  String COLUMNS =
      "id, sandbox_id, tenant_id, host_id, size_bytes, sha256, status, reason, created_at";

  /** A deleted archive is gone as far as its tenant can tell. */
  @SqlQuery(
      "select "
          + COLUMNS
          + " from archives where id = :id and tenant_id = :tenantId and status <> 'deleted'")
  Optional<ArchiveRow> find(String tenantId, String id);

  @SqlQuery("select exists (select 1 from archives where id = :id and tenant_id = :tenantId)")
  boolean existsInAnyStatus(String tenantId, String id);

  /** Keyset paging over {@code (created_at, id)}, newest first. */
  @SqlQuery(
      "select "
          + COLUMNS
          + """
            from archives
           where tenant_id = :tenantId
             and status <> 'deleted'
             and (cast(:beforeCreatedAt as timestamptz) is null
                  or (created_at, id) < (cast(:beforeCreatedAt as timestamptz), cast(:beforeId as text)))
           order by created_at desc, id desc
           limit :limit
          """)
  List<ArchiveRow> page(
      String tenantId, @Nullable Instant beforeCreatedAt, @Nullable String beforeId, int limit);

  /** Answers 0 when there is no such archive or it is already deleted. */
  @SqlUpdate(
      """
      update archives set status = 'deleted'
       where id = :id and tenant_id = :tenantId and status <> 'deleted'
      """)
  int markDeleted(String tenantId, String id);

  /** Undoes {@link #markDeleted} when the file's removal could not be scheduled. */
  @SqlUpdate(
      """
      update archives set status = :status
       where id = :id and tenant_id = :tenantId and status = 'deleted'
      """)
  int restoreStatus(String tenantId, String id, String status);

  /**
   * Records an archive, or updates its size, checksum and status when it is recorded again. The
   * row's {@code reason} is not written: only {@link #quarantine} gives one.
   */
  @SqlUpdate(
      """
      insert into archives (id, sandbox_id, tenant_id, host_id, size_bytes, sha256, status,
                            created_at)
      values (:id, :sandboxId, :tenantId, :hostId, :sizeBytes, :sha256, :status, :createdAt)
      on conflict (id) do update
        set size_bytes = excluded.size_bytes, sha256 = excluded.sha256, status = excluded.status
      """)
  void upsert(@BindMethods ArchiveRow archive);

  /** The archive in whatever status and of whatever tenant: callers check both. */
  @SqlQuery("select " + COLUMNS + " from archives where id = :id")
  Optional<ArchiveRow> findInAnyStatus(@Bind("id") String id);

  /** Archives the database believes are stored; start-up recovery checks them against files. */
  @SqlQuery("select " + COLUMNS + " from archives where status = 'ready'")
  List<ArchiveRow> ready();

  /** Marks an archive quarantined (its file was moved aside, never deleted). */
  @SqlUpdate("update archives set status = 'quarantined', reason = :reason where id = :id")
  int quarantine(@Bind("id") String id, @Bind("reason") String reason);
}
