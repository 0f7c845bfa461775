package dev.sandbar.worker.recovery;

import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.StoredArchive;
import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
import dev.sandbar.store.archive.ArchiveDao;
import dev.sandbar.store.archive.ArchiveRow;
import dev.sandbar.store.host.HostDao;
import dev.sandbar.workflows.model.ArchiveInfo;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery's first job: checks every archive file in this host's store against its
 * metadata. A file whose archive its owner deleted is removed (its removal did not finish before
 * the last stop), audited on the host. A file whose size or SHA-256 is wrong, or that no archive
 * row describes, is moved into quarantine and the row (if any) marked quarantined: it may hold the
 * only copy of someone's data. Then {@link QuarantineRetention} removes what stayed in quarantine
 * past its retention.
 */
final class ArchiveCheck {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  /** Host audit action of removing the file of an archive its owner deleted. */
  static final String REMOVE_DELETED = "remove-deleted-archive";

  private final ArchiveStore archives;
  private final JdbiArchiveStoreActivities archiveRows;
  private final Jdbi jdbi;
  private final String hostId;
  private final QuarantineRetention retention;

  ArchiveCheck(
      ArchiveStore archives,
      JdbiArchiveStoreActivities archiveRows,
      Jdbi jdbi,
      String hostId,
      QuarantineRetention retention) {
    this.archives = archives;
    this.archiveRows = archiveRows;
    this.jdbi = jdbi;
    this.hostId = hostId;
    this.retention = retention;
  }

  /** What one check did. */
  record Result(int quarantined, int removedDeleted, int removedFromQuarantine) {}

  Result run() {
    Map<String, ArchiveInfo> rows =
        archiveRows.readyArchives().stream()
            .collect(Collectors.toMap(ArchiveInfo::archiveId, Function.identity()));
    int quarantined = 0;
    int removed = 0;
    List<StoredArchive> stored;
    try {
      stored = archives.list();
    } catch (IOException e) {
      log.error("cannot list the archive store: {}", e.toString());
      return new Result(0, 0, retention.run());
    }
    for (StoredArchive file : stored) {
      ArchiveInfo row = rows.get(file.archiveId());
      if (row == null && removeIfDeleted(file.archiveId())) {
        removed++;
        continue;
      }
      String problem;
      try {
        problem = row == null ? "no ready archive is recorded for this file" : verify(file, row);
      } catch (IOException e) {
        problem = "unreadable: " + e.getMessage();
      }
      if (problem == null) {
        continue;
      }
      try {
        archives.quarantine(file.archiveId(), problem);
        if (row != null) {
          archiveRows.quarantine(file.archiveId(), problem);
        }
        quarantined++;
        log.warn("archive {} quarantined: {}", file.archiveId(), problem);
      } catch (IOException e) {
        log.error("could not quarantine archive {}: {}", file.archiveId(), e.toString());
      }
    }
    return new Result(quarantined, removed, retention.run());
  }

  /**
   * Removes the file when its archive's row says its owner deleted it; answers whether it did. The
   * row is read right before, so only a deletion already recorded removes anything.
   */
  private boolean removeIfDeleted(String archiveId) {
    Optional<ArchiveRow> row =
        jdbi.withExtension(ArchiveDao.class, dao -> dao.findInAnyStatus(archiveId));
    if (row.isEmpty() || !"deleted".equals(row.get().status())) {
      return false;
    }
    try {
      archives.delete(archiveId);
    } catch (IOException e) {
      log.error("could not remove deleted archive {}: {}", archiveId, e.toString());
      return false;
    }
    String reason =
        "archive "
            + archiveId
            + " of sandbox "
            + row.get().sandboxId()
            + " (tenant "
            + row.get().tenantId()
            + ") was deleted by its owner; its file was removed at start-up";
    jdbi.useExtension(
        HostDao.class, hosts -> hosts.audit(hostId, "system", REMOVE_DELETED, reason));
    log.info("{}", reason);
    return true;
  }

  /** What is wrong with {@code file}, or null when it matches its row. */
  private String verify(StoredArchive file, ArchiveInfo row) throws IOException {
    if (file.sizeBytes() != row.sizeBytes()) {
      return "size " + file.sizeBytes() + " but " + row.sizeBytes() + " recorded";
    }
    String sha = archives.sha256(file.archiveId());
    return sha.equalsIgnoreCase(row.sha256()) ? null : "checksum mismatch";
  }
}
