package dev.sandbar.activities.archive;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileSystemArchiveStore} on a real directory. */
class ArchiveStoreTest {

  @TempDir Path root;

  @Test
  void archiveAppearsUnderItsIdOnlyWhenCommitted() throws IOException {
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);

    try (ArchiveWriter writer = store.put("arc-1")) {
      writer.output().write(bytes("hello"));
      writer.output().flush();
      assertThat(root.resolve(".tmp/arc-1.tar.partial")).hasContent("hello");
      assertThat(root.resolve("arc-1.tar")).doesNotExist();
      assertThat(store.list()).isEmpty();

      writer.commit();
    }

    assertThat(root.resolve("arc-1.tar")).hasContent("hello");
    assertThat(root.resolve(".tmp/arc-1.tar.partial")).doesNotExist();
    assertThat(store.size("arc-1")).isEqualTo(OptionalLong.of(5));
    assertThat(store.list()).containsExactly(new StoredArchive("arc-1", 5));
    try (InputStream in = store.get("arc-1")) {
      assertThat(in.readAllBytes()).isEqualTo(bytes("hello"));
    }
  }

  @Test
  void writerClosedWithoutCommitLeavesNothingBehind() throws IOException {
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);

    try (ArchiveWriter writer = store.put("arc-1")) {
      writer.output().write(bytes("half"));
    }

    assertThat(root.resolve(".tmp/arc-1.tar.partial")).doesNotExist();
    assertThat(store.size("arc-1")).isEmpty();
    assertThatThrownBy(() -> store.get("arc-1")).isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void retryOverwritesThePartialFileAnEarlierAttemptLeft() throws IOException {
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);
    Files.createDirectories(root.resolve(".tmp"));
    Files.writeString(root.resolve(".tmp/arc-1.tar.partial"), "stale bytes from a crashed attempt");

    try (ArchiveWriter writer = store.put("arc-1")) {
      writer.output().write(bytes("fresh"));
      writer.commit();
    }

    assertThat(root.resolve("arc-1.tar")).hasContent("fresh");
  }

  @Test
  void secondWriterOfTheSameIdIsRefusedWhileTheFirstIsOpen() throws IOException {
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);

    try (ArchiveWriter first = store.put("arc-1")) {
      assertThatThrownBy(() -> store.put("arc-1")).isInstanceOf(ArchiveBusyException.class);
      first.output().write(bytes("first"));
    }
    try (ArchiveWriter again = store.put("arc-1")) {
      again.output().write(bytes("again"));
      again.commit();
    }

    assertThat(root.resolve("arc-1.tar")).hasContent("again");
  }

  @Test
  void quarantineMovesArchivesAsideWithTheirReasonAndNeverOverwrites() throws IOException {
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);
    write(store, "arc-1", "first copy");
    store.quarantine("arc-1", "checksum mismatch");
    write(store, "arc-1", "second copy");
    store.quarantine("arc-1", "checksum mismatch again");

    assertThat(store.list()).isEmpty();
    assertThat(root.resolve("arc-1.tar")).doesNotExist();
    assertThat(root.resolve("quarantine/arc-1.tar")).hasContent("first copy");
    assertThat(root.resolve("quarantine/arc-1.reason")).content().contains("checksum mismatch");
    try (Stream<Path> files = Files.list(root.resolve("quarantine"))) {
      assertThat(files.filter(p -> p.toString().endsWith(".tar"))).hasSize(2);
    }
    assertThatThrownBy(() -> store.quarantine("arc-1", "again"))
        .isInstanceOf(NoSuchFileException.class);
  }

  @Test
  void listReportsCompleteArchivesWithTheirSizesOnly() throws IOException {
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);
    write(store, "b", "22");
    write(store, "a", "1");
    ArchiveWriter pending = store.put("c");
    pending.output().write(bytes("333"));
    pending.output().flush();

    assertThat(store.list()).containsExactly(new StoredArchive("a", 1), new StoredArchive("b", 2));
    pending.close();
  }

  @Test
  void deleteRemovesTheArchiveAndAnyPartialAndToleratesAbsence() throws IOException {
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);
    write(store, "arc-1", "data");
    Files.writeString(root.resolve(".tmp/arc-1.tar.partial"), "left over");

    assertThat(store.delete("arc-1")).isTrue();
    assertThat(root.resolve("arc-1.tar")).doesNotExist();
    assertThat(root.resolve(".tmp/arc-1.tar.partial")).doesNotExist();
    assertThat(store.delete("arc-1")).isFalse();
  }

  @Test
  void idsThatCouldNamePathsAreRefused() {
    FileSystemArchiveStore store = new FileSystemArchiveStore(root);
    for (String bad :
        new String[] {"../x", "a/b", "", ".hidden", "-flag", "x".repeat(201), "a\0b"}) {
      assertThatThrownBy(() -> store.put(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void storeWhoseRootIsAFileFailsAsAStoreError() throws IOException {
    Path file = Files.writeString(root.resolve("not-a-dir"), "x");
    FileSystemArchiveStore store = new FileSystemArchiveStore(file);

    assertThatThrownBy(() -> store.put("arc-1")).isInstanceOf(ArchiveStoreException.class);
    assertThat(file).hasContent("x");
  }

  private static void write(ArchiveStore store, String id, String content) throws IOException {
    try (ArchiveWriter writer = store.put(id)) {
      writer.output().write(bytes(content));
      writer.commit();
    }
  }

  private static byte[] bytes(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }
}
