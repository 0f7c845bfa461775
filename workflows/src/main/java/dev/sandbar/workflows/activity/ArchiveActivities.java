package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.RestoreData;
import io.temporal.activity.ActivityInterface;

/** Data archives, on the host queue of the sandbox whose container they read or write. */
@ActivityInterface
public interface ArchiveActivities {

  /**
   * Streams the data path out of the container into the archive store (never whole in memory),
   * computing size and SHA-256 as it goes. Writes to a temporary name and renames at the end, so an
   * archive exists completely or not at all; a retry overwrites its own temporary file.
   * Non-retryable {@code EXPORT_FAILED} when the store cannot take it.
   */
  ArchiveFile exportData(ExportData request);

  /**
   * Verifies the archive's size and checksum ({@code ARCHIVE_CORRUPT}), rejects entries that escape
   * the data path, links pointing outside it, device files and oversize archives ({@code
   * ARCHIVE_UNSAFE}), and streams the checked entries as an uncompressed tar into the container.
   * Idempotent: extracting the same archive again writes the same files.
   */
  void restoreData(RestoreData request);

  /** Removes an archive file (complete or half-written); absent is success. */
  void discardArchive(String archiveId);
}
