package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ArchiveLookup;
import io.temporal.activity.ActivityInterface;

/** Archive metadata in PostgreSQL, on the control queue. */
@ActivityInterface
public interface ArchiveStoreActivities {

  /** Upserts the archive's row by id. Idempotent. */
  void recordArchive(ArchiveInfo archive);

  /** The tenant's ready archive, or non-retryable {@code ARCHIVE_NOT_FOUND}. */
  ArchiveInfo findArchive(ArchiveLookup lookup);
}
