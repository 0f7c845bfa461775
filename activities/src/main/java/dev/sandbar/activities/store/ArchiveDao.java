package dev.sandbar.activities.store;

import dev.sandbar.workflows.model.ArchiveInfo;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.sqlobject.customizer.Bind;
import org.jdbi.v3.sqlobject.statement.SqlQuery;
import org.jdbi.v3.sqlobject.statement.SqlUpdate;

/** Archive metadata rows. */
public interface ArchiveDao {

  /** Row shape of {@code archives}. */
  record ArchiveRow(
      String id,
      String sandboxId,
      String tenantId,
      String hostId,
      long sizeBytes,
      String sha256,
      String status,
      String reason,
      Instant createdAt) {

    ArchiveInfo info() {
      return new ArchiveInfo(
          id, sandboxId, tenantId, hostId, sizeBytes, sha256, createdAt.toEpochMilli(), status);
    }
  }

  @SqlUpdate(
      """
      insert into archives (id, sandbox_id, tenant_id, host_id, size_bytes, sha256, status,
                            created_at)
      values (:id, :sandboxId, :tenantId, :hostId, :sizeBytes, :sha256, :status, :createdAt)
      on conflict (id) do update
        set size_bytes = excluded.size_bytes, sha256 = excluded.sha256, status = excluded.status
      """)
  void upsert(
      @Bind("id") String id,
      @Bind("sandboxId") String sandboxId,
      @Bind("tenantId") String tenantId,
      @Bind("hostId") String hostId,
      @Bind("sizeBytes") long sizeBytes,
      @Bind("sha256") String sha256,
      @Bind("status") String status,
      @Bind("createdAt") Instant createdAt);

  @SqlQuery(
      """
      select id, sandbox_id, tenant_id, host_id, size_bytes, sha256, status, reason, created_at
      from archives where id = :id
      """)
  Optional<ArchiveRow> find(@Bind("id") String id);

  @SqlQuery(
      """
      select id, sandbox_id, tenant_id, host_id, size_bytes, sha256, status, reason, created_at
      from archives where status = 'ready'
      """)
  List<ArchiveRow> ready();

  @SqlUpdate("update archives set status = 'quarantined', reason = :reason where id = :id")
  int quarantine(@Bind("id") String id, @Bind("reason") String reason);
}
