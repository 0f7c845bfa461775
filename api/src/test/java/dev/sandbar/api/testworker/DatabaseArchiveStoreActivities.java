package dev.sandbar.api.testworker;

import dev.sandbar.workflows.activity.ArchiveStoreActivities;
import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ArchiveLookup;
import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;

/** A stand-in for the activities module's archive store: the same table, the same rules. */
public final class DatabaseArchiveStoreActivities implements ArchiveStoreActivities {

  private final Jdbi jdbi;

  public DatabaseArchiveStoreActivities(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void recordArchive(ArchiveInfo archive) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    insert into archives (id, sandbox_id, tenant_id, host_id, size_bytes, sha256,
                                          status, created_at)
                    values (:id, :sandboxId, :tenantId, :hostId, :size, :sha256, :status, :at)
                    on conflict (id) do update
                       set size_bytes = excluded.size_bytes, sha256 = excluded.sha256,
                           status = excluded.status
                    """)
                .bind("id", archive.archiveId())
                .bind("sandboxId", archive.sandboxId())
                .bind("tenantId", archive.tenantId())
                .bind("hostId", archive.hostId())
                .bind("size", archive.sizeBytes())
                .bind("sha256", archive.sha256())
                .bind("status", archive.status())
                .bind("at", Instant.ofEpochMilli(archive.createdAtMs()))
                .execute());
  }

  @Override
  public ArchiveInfo findArchive(ArchiveLookup lookup) {
    return jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        """
                        select id, sandbox_id, tenant_id, host_id, size_bytes, sha256, created_at,
                               status
                          from archives
                         where id = :id and tenant_id = :tenantId and status = 'ready'
                        """)
                    .bind("id", lookup.archiveId())
                    .bind("tenantId", lookup.tenantId())
                    .map(
                        (rs, ctx) ->
                            new ArchiveInfo(
                                rs.getString("id"),
                                rs.getString("sandbox_id"),
                                rs.getString("tenant_id"),
                                rs.getString("host_id"),
                                rs.getLong("size_bytes"),
                                rs.getString("sha256"),
                                rs.getTimestamp("created_at").getTime(),
                                rs.getString("status")))
                    .findOne())
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "archive " + lookup.archiveId() + " does not exist",
                    ErrorType.ARCHIVE_NOT_FOUND.name()));
  }
}
