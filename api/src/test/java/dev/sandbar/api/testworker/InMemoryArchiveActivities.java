package dev.sandbar.api.testworker;

import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.RestoreData;
import io.temporal.failure.ApplicationFailure;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * An archive store as a map of archive id to checksum. Real export and restore (tar streams,
 * checksums, unsafe entries) are tested in the activities module; the API tests need a store that
 * answers the sandbox workflow, and can be told to fail an export.
 */
public final class InMemoryArchiveActivities implements ArchiveActivities {

  /** What an export stores: the archive's content is its id, so its checksum is predictable. */
  public static final long ARCHIVE_SIZE = 4096;

  private final Map<String, ArchiveFile> stored = new ConcurrentHashMap<>();
  private final Set<String> failingExports = ConcurrentHashMap.newKeySet();

  /** Makes every export of {@code sandboxId}'s data fail as a full store would. */
  public void failExportsOf(String sandboxId) {
    failingExports.add(sandboxId);
  }

  @Override
  public ArchiveFile exportData(ExportData request) {
    if (failingExports.contains(request.ref().sandboxId())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "the archive store is full", ErrorType.EXPORT_FAILED.name());
    }
    ArchiveFile file =
        new ArchiveFile(request.archiveId(), ARCHIVE_SIZE, sha256(request.archiveId()));
    stored.put(request.archiveId(), file);
    return file;
  }

  @Override
  public void restoreData(RestoreData request) {
    ArchiveFile file = stored.get(request.archive().archiveId());
    if (file == null) {
      throw ApplicationFailure.newNonRetryableFailure(
          "archive " + request.archive().archiveId() + " is not stored",
          ErrorType.ARCHIVE_NOT_FOUND.name());
    }
    if (!file.equals(request.archive())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "archive " + file.archiveId() + " does not match its recorded size and checksum",
          ErrorType.ARCHIVE_CORRUPT.name());
    }
  }

  @Override
  public void discardArchive(String archiveId) {
    stored.remove(archiveId);
  }

  public static String sha256(String content) {
    try {
      return HexFormat.of()
          .formatHex(
              MessageDigest.getInstance("SHA-256")
                  .digest(content.getBytes(StandardCharsets.UTF_8)));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
