package dev.sandbar.store.archive;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of the {@code archives} table: the metadata of one archive file, checked against the file
 * on every restore and at worker start-up.
 *
 * @param status {@link #READY}, {@link #DELETED} or {@code quarantined}
 * @param reason why the archive was quarantined; null otherwise
 */
public record ArchiveRow(
    String id,
    String sandboxId,
    String tenantId,
    @Nullable String hostId,
    long sizeBytes,
    String sha256,
    String status,
    @Nullable String reason,
    Instant createdAt) {

  public static final String READY = "ready";
  public static final String DELETED = "deleted";
}
