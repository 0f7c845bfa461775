package dev.sandbar.worker.recovery;

import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.StoredArchive;
import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
import dev.sandbar.workflows.model.ArchiveInfo;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery's first job: checks every archive file in this host's store against its
 * metadata. A file whose size or SHA-256 is wrong, or that no ready archive row describes, is moved
 * into quarantine and the row (if any) marked quarantined. Nothing is deleted.
 */
final class ArchiveCheck {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  private final ArchiveStore archives;
  private final JdbiArchiveStoreActivities archiveRows;

  ArchiveCheck(ArchiveStore archives, JdbiArchiveStoreActivities archiveRows) {
    this.archives = archives;
    this.archiveRows = archiveRows;
  }

  /** Returns how many archives it quarantined. */
  int run() {
    Map<String, ArchiveInfo> rows =
        archiveRows.readyArchives().stream()
            .collect(Collectors.toMap(ArchiveInfo::archiveId, Function.identity()));
    int quarantined = 0;
    List<StoredArchive> stored;
    try {
      stored = archives.list();
    } catch (IOException e) {
      log.error("cannot list the archive store: {}", e.toString());
      return 0;
    }
    for (StoredArchive file : stored) {
      ArchiveInfo row = rows.get(file.archiveId());
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
    return quarantined;
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
