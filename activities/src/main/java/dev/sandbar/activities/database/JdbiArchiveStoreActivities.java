package dev.sandbar.activities.database;

import dev.sandbar.store.archive.ArchiveDao;
import dev.sandbar.store.archive.ArchiveRow;
import dev.sandbar.workflows.activity.ArchiveStoreActivities;
import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ArchiveLookup;
import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** Archive metadata in PostgreSQL. */
public class JdbiArchiveStoreActivities implements ArchiveStoreActivities {

  private final Jdbi jdbi;

  public JdbiArchiveStoreActivities(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public void recordArchive(ArchiveInfo archive) {
    ArchiveRow row =
        new ArchiveRow(
            archive.archiveId(),
            archive.sandboxId(),
            archive.tenantId(),
            archive.hostId(),
            archive.sizeBytes(),
            archive.sha256(),
            archive.status(),
            null,
            Instant.ofEpochMilli(archive.createdAtMs()));
    jdbi.useExtension(ArchiveDao.class, dao -> dao.upsert(row));
  }

  @Override
  public ArchiveInfo findArchive(ArchiveLookup lookup) {
    return jdbi.withExtension(ArchiveDao.class, dao -> dao.findInAnyStatus(lookup.archiveId()))
        .filter(row -> row.tenantId().equals(lookup.tenantId()))
        .filter(row -> ArchiveRow.READY.equals(row.status()))
        .map(JdbiArchiveStoreActivities::info)
        .orElseThrow(
            () ->
                ApplicationFailure.newNonRetryableFailure(
                    "archive " + lookup.archiveId() + " does not exist",
                    ErrorType.ARCHIVE_NOT_FOUND.name()));
  }

  /** Archives the database believes are stored; start-up recovery checks them against files. */
  public List<ArchiveInfo> readyArchives() {
    return jdbi.withExtension(ArchiveDao.class, ArchiveDao::ready).stream()
        .map(JdbiArchiveStoreActivities::info)
        .toList();
  }

  /** Marks an archive quarantined (its file was moved aside, never deleted). */
  public void quarantine(String archiveId, String reason) {
    jdbi.useExtension(ArchiveDao.class, dao -> dao.quarantine(archiveId, reason));
  }

  private static ArchiveInfo info(ArchiveRow row) {
    return new ArchiveInfo(
        row.id(),
        row.sandboxId(),
        row.tenantId(),
        row.hostId(),
        row.sizeBytes(),
        row.sha256(),
        row.createdAt().toEpochMilli(),
        row.status());
  }
}
