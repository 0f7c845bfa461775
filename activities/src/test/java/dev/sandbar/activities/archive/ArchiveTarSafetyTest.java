package dev.sandbar.activities.archive;

import static dev.sandbar.activities.archive.CraftedTars.FIXED_MTIME;
import static dev.sandbar.activities.archive.CraftedTars.tar;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** {@link TarSafety} on hand-built archives; no Docker needed. */
class ArchiveTarSafetyTest {

  private static final long LIMIT = 64L * 1024 * 1024;
  private static final TarSafety RESTORE_AT_DATA = TarSafety.forRestore(LIMIT, "/data");

  /** An entry of the rewritten tar with its data. */
  private record Copied(TarArchiveEntry entry, byte[] data) {}

  @Test
  void keepsModesTimesOwnersLinksEmptyDirectoriesAndAttributes() throws IOException {
    String longName = "deep/" + "n".repeat(150) + "/file.txt";
    byte[] input =
        tar()
            .dir("./", 0750)
            .dir("secret", 0700, e -> e.setIds(1234, 5678))
            .file(
                "secret/key",
                "top secret\n",
                0600,
                e -> {
                  e.setIds(1234, 5678);
                  e.setUserName("alice");
                  e.setGroupName("staff");
                  e.addPaxHeader("SCHILY.xattr.user.note", "kept");
                  e.addPaxHeader("vendor.unknown", "dropped");
                })
            .dir("empty", 0755)
            .dir("empty/nested", 0755)
            .symlink("link-to-key", "secret/key")
            .symlink("secret/up", "../empty")
            .symlink("absolute-inside", "/data/secret/key")
            .hardLink("secret/key-again", "secret/key")
            .dir("deep/" + "n".repeat(150), 0755)
            .file(longName, "long\n")
            .bytes();

    Map<String, Copied> out = copy(RESTORE_AT_DATA, input);

    // Restore output sits under the data directory's name, so Docker applies the root's metadata.
    assertThat(out.keySet())
        .containsExactly(
            "data/",
            "data/secret/",
            "data/secret/key",
            "data/empty/",
            "data/empty/nested/",
            "data/link-to-key",
            "data/secret/up",
            "data/absolute-inside",
            "data/secret/key-again",
            "data/deep/" + "n".repeat(150) + "/",
            "data/" + longName);
    assertThat(out.get("data/").entry().getMode() & 07777).isEqualTo(0750);
    TarArchiveEntry key = out.get("data/secret/key").entry();
    assertThat(key.getMode() & 07777).isEqualTo(0600);
    assertThat(key.getLongUserId()).isEqualTo(1234);
    assertThat(key.getLongGroupId()).isEqualTo(5678);
    assertThat(key.getUserName()).isEqualTo("alice");
    assertThat(key.getGroupName()).isEqualTo("staff");
    assertThat(key.getLastModifiedTime().toInstant()).isEqualTo(FIXED_MTIME);
    assertThat(key.getExtraPaxHeaders())
        .containsEntry("SCHILY.xattr.user.note", "kept")
        .doesNotContainKey("vendor.unknown");
    assertThat(new String(out.get("data/secret/key").data(), StandardCharsets.UTF_8))
        .isEqualTo("top secret\n");
    TarArchiveEntry secret = out.get("data/secret/").entry();
    assertThat(secret.isDirectory()).isTrue();
    assertThat(secret.getMode() & 07777).isEqualTo(0700);
    assertThat(secret.getLastModifiedTime().toInstant()).isEqualTo(FIXED_MTIME);
    assertThat(out.get("data/empty/nested/").entry().isDirectory()).isTrue();
    assertThat(out.get("data/link-to-key").entry().isSymbolicLink()).isTrue();
    assertThat(out.get("data/link-to-key").entry().getLinkName()).isEqualTo("secret/key");
    assertThat(out.get("data/secret/up").entry().getLinkName()).isEqualTo("../empty");
    assertThat(out.get("data/absolute-inside").entry().getLinkName()).isEqualTo("/data/secret/key");
    assertThat(out.get("data/secret/key-again").entry().isLink()).isTrue();
    assertThat(out.get("data/secret/key-again").entry().getLinkName()).isEqualTo("data/secret/key");
    assertThat(new String(out.get("data/" + longName).data(), StandardCharsets.UTF_8))
        .isEqualTo("long\n");
  }

  @Test
  void restoreOutputGoesUnderTheDataDirectoryNameInItsParent() throws IOException {
    byte[] archive = tar().dir("./", 0700).file("a", "a").bytes();

    assertThat(copy(TarSafety.forRestore(LIMIT, "/home/agent/workspace"), archive).keySet())
        .containsExactly("workspace/", "workspace/a");
    assertThat(TarSafety.extractionDirectory("/home/agent/workspace")).isEqualTo("/home/agent");
    assertThat(TarSafety.extractionDirectory("/data")).isEqualTo("/");
  }

  @Test
  void rewritesDockerExportNamesRelativeToTheDataPath() throws IOException {
    byte[] fromDocker =
        tar()
            .dir("data/", 0755)
            .dir("data/sub", 0750)
            .file("data/sub/f", "x")
            .hardLink("data/h", "data/sub/f")
            .symlink("data/l", "sub/f")
            .bytes();

    Map<String, Copied> out = copy(TarSafety.forExport(LIMIT, "/data"), fromDocker);

    assertThat(out.keySet()).containsExactly("./", "sub/", "sub/f", "h", "l");
    assertThat(out.get("h").entry().getLinkName()).isEqualTo("sub/f");
    assertThat(out.get("l").entry().getLinkName()).isEqualTo("sub/f");
    assertThat(out.get("sub/").entry().getMode() & 07777).isEqualTo(0750);
  }

  @Test
  void exportUnderUserNamespacesStoresTheContainersOwnIds() throws IOException {
    // A remapped daemon reports host ids: container uid 1000 is host 101000, root is host 100000.
    byte[] fromDocker =
        tar()
            .dir("data/", 0755, e -> e.setIds(100000, 100000))
            .file("data/f", "f", 0644, e -> e.setIds(101000, 101002))
            .bytes();

    Map<String, Copied> out =
        copy(
            TarSafety.forExport(LIMIT, "/data").withOwnerShift(new OwnerShift(100000, 100000)),
            fromDocker);

    assertThat(out.get("./").entry().getLongUserId()).isZero();
    assertThat(out.get("f").entry().getLongUserId()).isEqualTo(1000);
    assertThat(out.get("f").entry().getLongGroupId()).isEqualTo(1002);
    assertThat(
            copy(TarSafety.forExport(LIMIT, "/data"), fromDocker).get("f").entry().getLongUserId())
        .as("without a shift, ids pass unchanged")
        .isEqualTo(101000);
  }

  @Test
  void exportUsesTheBaseNameOfANestedDataPath() throws IOException {
    byte[] fromDocker = tar().dir("workspace/", 0755).file("workspace/a", "a").bytes();

    Map<String, Copied> out = copy(TarSafety.forExport(LIMIT, "/home/agent/workspace"), fromDocker);

    assertThat(out.keySet()).containsExactly("./", "a");
  }

  @Test
  void exportRefusesEntriesOutsideTheExportedDirectory() {
    byte[] fromDocker = tar().dir("data/", 0755).file("other/x", "x").bytes();

    assertThatThrownBy(() -> copy(TarSafety.forExport(LIMIT, "/data"), fromDocker))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("other/x");
  }

  @Test
  void exportLeavesFifosOutButRestoreRefusesThem() throws IOException {
    byte[] fromDocker =
        tar()
            .dir("data/", 0755)
            .special("data/pipe", TarConstants.LF_FIFO)
            .file("data/f", "f")
            .bytes();

    Map<String, Copied> exported = copy(TarSafety.forExport(LIMIT, "/data"), fromDocker);
    assertThat(exported.keySet()).containsExactly("./", "f");

    byte[] restored = tar().special("pipe", TarConstants.LF_FIFO).bytes();
    assertThatThrownBy(() -> copy(RESTORE_AT_DATA, restored))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("FIFO");
  }

  /** Why each archive is refused: the right rule must fire, not some other one by accident. */
  private static final Map<String, String> REASONS =
      Map.ofEntries(
          Map.entry("entry ../escape", "'../escape' leaves the archive root"),
          Map.entry("absolute entry /etc/evil", "'/etc/evil' has an absolute path"),
          Map.entry("symlink to /etc then a file through it", "'etc' -> '/etc' points outside"),
          Map.entry("symlink a -> ../../x", "'a' -> '../../x' leaves the data path"),
          Map.entry("hard link to /etc/passwd", "'passwd' -> '/etc/passwd' points outside"),
          Map.entry("character device", "'null' is a device file"),
          Map.entry("header claiming 1 GB", "'big' declares 1073741824 bytes"),
          Map.entry("entry a/../../escape", "leaves the archive root"),
          Map.entry("absolute symlink dodging through ..", "'/data/../etc' leaves the data path"),
          Map.entry("hard link ../outside", "'../outside' leaves the archive root"),
          Map.entry("block device", "'sda' is a device file"),
          Map.entry(
              "file written through an inside symlink", "'s/x' would be written through symlink"),
          Map.entry(
              "symlink chain that escapes only once every link is known",
              "'d/t' -> 's/../..' leaves the data path"),
          Map.entry("root entry that is a file", "names the archive root but is not a directory"),
          Map.entry("files adding up past the limit", "more than the 1000-byte limit"),
          Map.entry("unsupported entry type", "unsupported type 'V'"));

  static Stream<Arguments> unsafeArchives() {
    Map<String, byte[]> cases = new LinkedHashMap<>(CraftedTars.unsafe());
    cases.put("entry a/../../escape", tar().file("a/../../escape", "evil").bytes());
    cases.put("absolute symlink dodging through ..", tar().symlink("l", "/data/../etc").bytes());
    cases.put("hard link ../outside", tar().hardLink("h", "../outside").bytes());
    cases.put("block device", tar().special("sda", TarConstants.LF_BLK).bytes());
    cases.put(
        "file written through an inside symlink",
        tar().dir("d", 0755).symlink("s", "d").file("s/x", "x").bytes());
    cases.put(
        "symlink chain that escapes only once every link is known",
        tar()
            .dir("d", 0755)
            .dir("d2", 0755)
            .symlink("d/t", "s/../..")
            .symlink("d/s", "../d2")
            .bytes());
    cases.put("root entry that is a file", tar().file(".", "x").bytes());
    cases.put(
        "files adding up past the limit",
        tar().file("a", "a".repeat(600)).file("b", "b".repeat(600)).bytes());
    cases.put("unsupported entry type", tar().special("v", (byte) 'V').bytes());
    return cases.entrySet().stream().map(e -> Arguments.of(e.getKey(), e.getValue()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("unsafeArchives")
  void refusesArchivesThatReachOutsideTheRoot(String what, byte[] archive) {
    TarSafety rules =
        what.equals("files adding up past the limit")
            ? TarSafety.forRestore(1000, "/data")
            : RESTORE_AT_DATA;

    assertThatThrownBy(() -> copy(rules, archive))
        .as(what)
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining(REASONS.get(what));
  }

  @Test
  void refusesAnOversizeHeaderBeforeReadingItsData() {
    // Only the header is there: reading the claimed data would fail as truncated, not as unsafe.
    byte[] archive = tar().bytesWithHeaderOnly("big", 1L << 30);

    assertThatThrownBy(() -> copy(RESTORE_AT_DATA, archive))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("big")
        .hasMessageContaining("1073741824");
  }

  @Test
  void absoluteSymlinkTargetsCountAsInsideOnlyUnderTheDataPath() throws IOException {
    byte[] archive = tar().dir("conf", 0755).symlink("cfg", "/data/conf").bytes();

    assertThat(copy(TarSafety.forRestore(LIMIT, "/data"), archive)).containsKey("data/cfg");
    assertThatThrownBy(() -> copy(TarSafety.forRestore(LIMIT, "/work"), archive))
        .isInstanceOf(UnsafeArchiveException.class)
        .hasMessageContaining("cfg");
  }

  @Test
  void keepsSymlinkLoopsInsideTheRoot() throws IOException {
    byte[] archive = tar().symlink("a", "b").symlink("b", "a").symlink("self", "self").bytes();

    assertThat(copy(RESTORE_AT_DATA, archive)).containsOnlyKeys("data/a", "data/b", "data/self");
  }

  @Test
  void truncatedArchiveIsMalformedNotUnsafe() {
    byte[] whole = tar().file("f", "x".repeat(5000)).bytes();
    byte[] cut = Arrays.copyOf(whole, 512 + 1000);

    assertThatThrownBy(() -> copy(RESTORE_AT_DATA, cut))
        .isInstanceOf(MalformedArchiveException.class);
  }

  @Test
  void failuresOfTheSourceStreamPassThroughUnchanged() {
    byte[] whole = tar().file("f", "x".repeat(50_000)).bytes();
    IOException diskGone = new IOException("disk gone");
    InputStream failing =
        new InputStream() {
          private int position;

          @Override
          public int read() throws IOException {
            if (position >= 2048) {
              throw diskGone;
            }
            return whole[position++] & 0xff;
          }
        };

    assertThatThrownBy(
            () -> RESTORE_AT_DATA.copy(failing, OutputStream.nullOutputStream(), copied -> {}))
        .isSameAs(diskGone);
  }

  @Test
  void refusesDataPathsThatAreNotAbsoluteAndNormalised() {
    for (String bad : new String[] {"data", "/", "/data/", "/a/../b", "/a/./b", "//data", ""}) {
      assertThatThrownBy(() -> TarSafety.forRestore(LIMIT, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  private static Map<String, Copied> copy(TarSafety rules, byte[] archive) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    rules.copy(new ByteArrayInputStream(archive), out, copied -> {});
    Map<String, Copied> entries = new LinkedHashMap<>();
    try (TarArchiveInputStream in =
        new TarArchiveInputStream(new ByteArrayInputStream(out.toByteArray()))) {
      TarArchiveEntry entry;
      while ((entry = in.getNextEntry()) != null) {
        entries.put(entry.getName(), new Copied(entry, in.readAllBytes()));
      }
    }
    return entries;
  }
}
