package dev.sandbar.api.archive;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * A row of the {@code archives} table. Public only because Jdbi's constructor mapper needs it.
 *
 * @param status {@code ready}, {@code deleted} or {@code quarantined}
 */
public record ArchiveRow(
    String id,
    String sandboxId,
    String tenantId,
    @Nullable String hostId,
    long sizeBytes,
    String sha256,
    String status,
    Instant createdAt) {

  static final String READY = "ready";
  static final String DELETED = "deleted";
}
