package dev.sandbar.activities.archive;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.UUID;

/**
 * Files only Sandbar's own user may read: the data directory and its folders (0700), archives, keys
 * and passwords (0600). The mode is given when the file or directory is created, never set
 * afterwards, so there is no moment in which another local user can open it.
 */
public final class PrivateFiles {

  /** rwx------ */
  public static final Set<PosixFilePermission> DIRECTORY =
      PosixFilePermissions.fromString("rwx------");

  /** rw------- */
  public static final Set<PosixFilePermission> FILE = PosixFilePermissions.fromString("rw-------");

  private PrivateFiles() {}

  /** The attribute that creates a directory 0700. */
  public static FileAttribute<Set<PosixFilePermission>> directoryMode() {
    return PosixFilePermissions.asFileAttribute(DIRECTORY);
  }

  /** The attribute that creates a file 0600. */
  public static FileAttribute<Set<PosixFilePermission>> fileMode() {
    return PosixFilePermissions.asFileAttribute(FILE);
  }

  /**
   * Creates {@code dir} and any missing parents, each new one 0700; existing ones stay as they are.
   */
  public static Path createDirectories(Path dir) throws IOException {
    return Files.createDirectories(dir, directoryMode());
  }

  /**
   * Replaces {@code file} with {@code content}: written to a new 0600 file beside it, flushed, then
   * renamed over it, so the file is never readable by others nor torn.
   */
  public static void writeString(Path file, String content) throws IOException {
    Path temporary = file.resolveSibling("." + file.getFileName() + "." + UUID.randomUUID());
    try {
      try (FileChannel channel =
          FileChannel.open(
              temporary,
              Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
              fileMode())) {
        ByteBuffer bytes = ByteBuffer.wrap(content.getBytes(StandardCharsets.UTF_8));
        while (bytes.hasRemaining()) {
          channel.write(bytes);
        }
        channel.force(true);
      }
      Files.move(temporary, file, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(temporary);
    }
  }
}
