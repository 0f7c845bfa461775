package dev.sandbar.activities.archive;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Archives and their folders are created private to Sandbar's user: 0600 files, 0700 folders. */
class PrivateFilesTest {

  @TempDir Path temp;

  @Test
  void archivesTheirFoldersAndQuarantineNotesAreCreatedPrivate() throws IOException {
    Path root = temp.resolve("data").resolve("archives");
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);

    try (ArchiveWriter writer = store.put("ar-private")) {
      writer.output().write("tenant data".getBytes(StandardCharsets.UTF_8));
      assertThat(Files.getPosixFilePermissions(store.partialPath("ar-private")))
          .as("private while it is being written, not only once done")
          .isEqualTo(PrivateFiles.FILE);
      writer.commit();
    }

    assertThat(Files.getPosixFilePermissions(store.archivePath("ar-private")))
        .isEqualTo(PrivateFiles.FILE);
    assertThat(Files.getPosixFilePermissions(root)).isEqualTo(PrivateFiles.DIRECTORY);
    assertThat(Files.getPosixFilePermissions(root.getParent()))
        .as("a data directory created on the way")
        .isEqualTo(PrivateFiles.DIRECTORY);
    assertThat(Files.getPosixFilePermissions(root.resolve(FileSystemArchiveStore.TMP_DIR)))
        .isEqualTo(PrivateFiles.DIRECTORY);

    store.quarantine("ar-private", "test");
    assertThat(Files.getPosixFilePermissions(store.quarantineDir()))
        .isEqualTo(PrivateFiles.DIRECTORY);
    assertThat(Files.getPosixFilePermissions(store.quarantineDir().resolve("ar-private.reason")))
        .isEqualTo(PrivateFiles.FILE);
  }

  @Test
  void aReplacedSecretIsNeverReadableByOthers() throws IOException {
    Path key = temp.resolve("api-key");
    Files.writeString(key, "old\n");

    PrivateFiles.writeString(key, "new\n");

    assertThat(Files.readString(key)).isEqualTo("new\n");
    assertThat(Files.getPosixFilePermissions(key)).isEqualTo(PrivateFiles.FILE);
    try (var left = Files.list(temp)) {
      assertThat(left).as("no temporary file left beside it").containsExactly(key);
    }
  }
}
