package dev.sandbar.worker.recovery;

import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.QuarantinedArchive;
import dev.sandbar.store.host.HostDao;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Removes archives that stayed in quarantine longer than the retention ({@code
 * SANDBAR_ARCHIVE_QUARANTINE_RETENTION_SECONDS}, 7 days by default): long enough for an operator to
 * look at a broken archive or copy it away, short enough that quarantine does not fill the disk.
 * Each removal is written to the host's audit trail.
 */
record QuarantineRetention(
    ArchiveStore archives, Jdbi jdbi, String hostId, Duration retention, Supplier<Instant> clock) {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  /** Host audit action of removing a quarantined archive whose retention is over. */
  static final String REMOVE_QUARANTINED = "remove-quarantined-archive";

  /** Returns how many quarantined archives it removed. */
  int run() {
    List<QuarantinedArchive> quarantined;
    try {
      quarantined = archives.quarantined();
    } catch (IOException e) {
      log.error("cannot list the archive quarantine: {}", e.toString());
      return 0;
    }
    Instant cutoff = clock.get().minus(retention);
    int removed = 0;
    for (QuarantinedArchive archive : quarantined) {
      if (!archive.quarantinedAt().isBefore(cutoff)) {
        continue;
      }
      try {
        if (!archives.removeQuarantined(archive.name())) {
          continue;
        }
      } catch (IOException | IllegalArgumentException e) {
        log.error("could not remove quarantined archive {}: {}", archive.name(), e.toString());
        continue;
      }
      removed++;
      String reason =
          "quarantined archive "
              + archive.name()
              + " ("
              + archive.sizeBytes()
              + " bytes, quarantined "
              + archive.quarantinedAt()
              + ") removed after the quarantine retention of "
              + retention.toSeconds()
              + "s";
      jdbi.useExtension(
          HostDao.class, hosts -> hosts.audit(hostId, "system", REMOVE_QUARANTINED, reason));
      log.info("{}", reason);
    }
    return removed;
  }
}
