package dev.sandbar.activities.container;

import dev.sandbar.activities.archive.ActivityHeartbeat;
import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.MalformedArchiveException;
import dev.sandbar.activities.archive.TarSafety;
import dev.sandbar.activities.archive.UnsafeArchiveException;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ErrorType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.OptionalLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The first pass of a restore: the stored archive's size, then its entries and checksum together,
 * before a single byte reaches the container. A checksum mismatch wins over an entry rule, so a
 * flipped byte is reported as corruption, not as a hostile archive.
 */
final class StoredArchiveCheck {

  private static final Logger log = LoggerFactory.getLogger(StoredArchiveCheck.class);

  private final ArchiveStore store;

  StoredArchiveCheck(ArchiveStore store) {
    this.store = store;
  }

  /** Passes, or fails permanently with what is wrong with the archive. */
  void verify(ArchiveFile archive, TarSafety rules, ActivityHeartbeat heartbeat) {
    String archiveId = archive.archiveId();
    OptionalLong size;
    try {
      size = store.size(archiveId);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read archive store for " + archiveId + ": " + e.getMessage(), e);
    }
    if (size.isEmpty()) {
      throw failure(ErrorType.ARCHIVE_NOT_FOUND, "archive " + archiveId + " is not stored", null);
    }
    if (size.getAsLong() != archive.sizeBytes()) {
      throw failure(
          ErrorType.ARCHIVE_CORRUPT,
          "archive "
              + archiveId
              + " is "
              + size.getAsLong()
              + " bytes, its export recorded "
              + archive.sizeBytes(),
          null);
    }

    MessageDigest sha256 = DockerArchiveActivities.sha256();
    IOException rejected = null;
    long read;
    try (InputStream stored = store.get(archiveId)) {
      CountingInputStream counted =
          new CountingInputStream(
              new DigestInputStream(
                  new BufferedInputStream(stored, DockerArchiveActivities.IO_BUFFER_BYTES),
                  sha256));
      try {
        rules.copy(
            counted, OutputStream.nullOutputStream(), copied -> heartbeat.accept(counted.count()));
      } catch (UnsafeArchiveException | MalformedArchiveException e) {
        rejected = e;
      }
      byte[] buffer = new byte[DockerArchiveActivities.IO_BUFFER_BYTES];
      while (counted.read(buffer) >= 0) {
        heartbeat.accept(counted.count());
      }
      read = counted.count();
    } catch (NoSuchFileException e) {
      throw failure(ErrorType.ARCHIVE_NOT_FOUND, "archive " + archiveId + " is not stored", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read archive " + archiveId + ": " + e.getMessage(), e);
    }

    String actual = HexFormat.of().formatHex(sha256.digest());
    if (read != archive.sizeBytes() || !actual.equalsIgnoreCase(archive.sha256())) {
      throw failure(
          ErrorType.ARCHIVE_CORRUPT,
          "archive "
              + archiveId
              + " does not match its export: read "
              + read
              + " bytes with sha256 "
              + actual
              + ", expected "
              + archive.sizeBytes()
              + " bytes with sha256 "
              + archive.sha256(),
          rejected);
    }
    if (rejected instanceof UnsafeArchiveException) {
      throw failure(
          ErrorType.ARCHIVE_UNSAFE,
          "archive " + archiveId + " is refused: " + rejected.getMessage(),
          rejected);
    }
    if (rejected != null) {
      throw failure(
          ErrorType.ARCHIVE_CORRUPT,
          "archive "
              + archiveId
              + " matches its checksum but is unreadable: "
              + rejected.getMessage(),
          rejected);
    }
  }

  private static RuntimeException failure(ErrorType type, String message, Throwable cause) {
    return DockerFailures.permanent(log, type, message, cause);
  }
}
