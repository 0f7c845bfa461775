package dev.sandbar.activities.archive;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.OptionalLong;
import java.util.regex.Pattern;

/**
 * Where data archives live, keyed by archive id. Archives are immutable once committed; the only
 * ways out are {@link #delete} (the owner asked) and {@link #quarantine} (found broken: moved
 * aside, since it may still hold the only copy of someone's data, and removed by {@link
 * #removeQuarantined} only once its retention is over).
 */
public interface ArchiveStore {

  /**
   * Archive ids become file or object names: a letter or digit, then letters, digits, {@code .},
   * {@code _} or {@code -}, so no id can name a path outside the store.
   */
  Pattern VALID_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,199}");

  /** Rejects an id that {@link #VALID_ID} does not match. */
  static String requireValidId(String archiveId) {
    if (archiveId == null || !VALID_ID.matcher(archiveId).matches()) {
      throw new IllegalArgumentException(
          "archive id must match " + VALID_ID.pattern() + ", got: " + archiveId);
    }
    return archiveId;
  }

  /**
   * Starts writing {@code archiveId}. A half-written archive of the same id left by an earlier
   * attempt is overwritten.
   *
   * @throws ArchiveStoreException when the store cannot take a new archive
   * @throws ArchiveBusyException when another writer holds the same id
   */
  ArchiveWriter put(String archiveId) throws IOException;

  /**
   * Reads a complete archive.
   *
   * @throws NoSuchFileException when there is none under that id
   */
  InputStream get(String archiveId) throws IOException;

  /** Size of the complete archive, or empty when there is none. */
  OptionalLong size(String archiveId) throws IOException;

  /**
   * Removes the archive and any half-written one of the same id.
   *
   * @return whether anything was there
   */
  boolean delete(String archiveId) throws IOException;

  /** The complete archives present, ordered by id; half-written and quarantined ones excluded. */
  List<StoredArchive> list() throws IOException;

  /**
   * Moves the archive out of reach of {@link #get} into quarantine, recording why.
   *
   * @throws NoSuchFileException when there is no archive under that id
   */
  void quarantine(String archiveId, String reason) throws IOException;

  /** The archives in quarantine, ordered by name. */
  List<QuarantinedArchive> quarantined() throws IOException;

  /**
   * Removes a quarantined archive for good, with the note of why it was quarantined: only once its
   * retention is over.
   *
   * @return whether anything was there
   */
  boolean removeQuarantined(String name) throws IOException;

  /** The SHA-256 (lower-case hex) of a stored archive, read as a stream. */
  default String sha256(String archiveId) throws IOException {
    MessageDigest digest;
    try {
      digest = MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("the JDK always has SHA-256", e);
    }
    try (InputStream in = get(archiveId)) {
      byte[] buffer = new byte[64 * 1024];
      for (int n; (n = in.read(buffer)) > 0; ) {
        digest.update(buffer, 0, n);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
