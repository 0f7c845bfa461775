package dev.sandbar.activities.archive;

import static dev.sandbar.activities.archive.CraftedTars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** What {@link TarSafety}'s symlink checks may hold and how they scale; no Docker needed. */
class ArchiveSymlinkBookkeepingTest {

  private static final long LIMIT = 64L * 1024 * 1024;

  @Test
  void archiveWhoseSymlinksNeedMoreThanTheLimitIsRefused() throws IOException {
    CraftedTars.Builder archive = tar();
    for (int i = 0; i < 100; i++) {
      archive.symlink("l" + i, "t".repeat(1000));
    }
    byte[] bytes = archive.bytes();
    TarSafety rules = TarSafety.forRestore(LIMIT, "/data").withSymlinkBookkeepingLimit(64 * 1024);

    assertThatThrownBy(() -> copy(rules, bytes))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("symlinks")
        .hasMessageContaining("65536 bytes");
    // The same archive is fine under the default limit.
    assertThat(copy(TarSafety.forRestore(LIMIT, "/data"), bytes).entries()).isEqualTo(100);
  }

  @Test
  void theDefaultLimitCountsNamesTargetsAndNodes() throws UnsafeArchiveException {
    ArchiveWalk walk = new ArchiveWalk("/data", new EntryNames(null, null), LIMIT);
    String target = "t".repeat(ArchiveWalk.MAX_TARGET_LENGTH);
    int i = 0;
    try {
      for (; i < 100_000; i++) {
        walk.record(List.of("d", "l" + i), target);
      }
    } catch (UnsafeArchiveException refused) {
      assertThat(refused).hasMessageContaining(LIMIT + " bytes");
    }
    // Each symlink costs its target twice over (UTF-16) plus a node: the limit stops the growth
    // long before 100,000 such symlinks, and not before it is reached.
    assertThat(i).isBetween(7000, 8300);
    assertThat(walk.bookkeepingBytes()).isGreaterThan(LIMIT);
  }

  @Test
  void symlinkTargetLongerThanAFileSystemStoresIsRefused() {
    byte[] archive = tar().symlink("l", "a/".repeat(2100)).bytes();

    assertThatThrownBy(() -> copy(TarSafety.forRestore(LIMIT, "/data"), archive))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("4200-character target");
  }

  @Test
  void deepNamesAndLongChainsAreCheckedComponentByComponent() throws IOException {
    // 4,000 directory levels in one name, and a chain of 39 symlinks each through the previous
    // one, down 1,000 levels: a check that joined every prefix would take tens of millions of
    // steps here.
    String deep = "d/".repeat(4_000) + "f";
    CraftedTars.Builder archive = tar().file(deep, "x").symlink("c0", "d/".repeat(1000));
    for (int i = 1; i < 39; i++) {
      archive.symlink("c" + i, "c" + (i - 1));
    }
    archive.symlink("escape", "c38/" + "../".repeat(1001));

    assertThatThrownBy(() -> copy(TarSafety.forRestore(LIMIT, "/data"), archive.bytes()))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("escape")
        .hasMessageContaining("leaves the data path");
  }

  @Test
  void entryNameLongerThanTheLimitIsRefused() {
    byte[] archive = tar().file("d/".repeat(4097) + "f", "x").bytes();

    assertThatThrownBy(() -> copy(TarSafety.forRestore(LIMIT, "/data"), archive))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("8195-character name");
  }

  @Test
  void theFinalCheckOfEverySymlinkReportsProgress() throws UnsafeArchiveException {
    ArchiveWalk walk = new ArchiveWalk("/data", new EntryNames(null, null), LIMIT);
    List<String> dir = new ArrayList<>(List.of("x"));
    for (int i = 0; i < 3 * ArchiveWalk.CHECKS_PER_PROGRESS; i++) {
      walk.record(List.of("x", "l" + i), "../x");
    }
    walk.record(dir, null);
    AtomicInteger reports = new AtomicInteger();

    walk.checkAllSymlinks(reports::incrementAndGet);

    assertThat(reports.get()).isEqualTo(3);
  }

  private static TarSafety.Summary copy(TarSafety rules, byte[] archive) throws IOException {
    return rules.copy(new ByteArrayInputStream(archive), OutputStream.nullOutputStream(), n -> {});
  }
}
