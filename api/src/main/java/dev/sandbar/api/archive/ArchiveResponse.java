package dev.sandbar.api.archive;

import dev.sandbar.store.archive.ArchiveRow;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An archive of a sandbox's data path, as the API shows it.
 *
 * @param hostId the host whose archive store holds the file
 * @param sha256 lower-case hex checksum, verified again before every restore
 * @param status {@code ready} (restorable) or {@code quarantined} (failed a check at worker
 *     start-up; kept, never restored)
 */
public record ArchiveResponse(
    String id,
    String sandboxId,
    @Nullable String hostId,
    long sizeBytes,
    String sha256,
    Instant createdAt,
    String status) {

  static ArchiveResponse of(ArchiveRow row) {
    return new ArchiveResponse(
        row.id(),
        row.sandboxId(),
        row.hostId(),
        row.sizeBytes(),
        row.sha256(),
        row.createdAt(),
        row.status());
  }
}
