package dev.sandbar.activities.container;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.sandbar.activities.archive.ArchiveWriter;
import dev.sandbar.activities.archive.CraftedTars;
import dev.sandbar.activities.archive.FileSystemArchiveStore;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.RestoreData;
import io.temporal.activity.ActivityOptions;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.TestActivityEnvironment;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@link DockerArchiveActivities} against the real local Docker daemon: export from one sandbox's
 * volume, restore into another's before it starts, and the ways that must fail.
 */
@ExtendWith(DockerDaemonExtension.class)
class DockerArchiveActivitiesTest {

  private static final long LIMIT = 64L * 1024 * 1024;

  /**
   * One line per path under the data path, sorted: type, mode, owner, link count, mtime and
   * checksum for files, target for symlinks. Two sandboxes hold the same data when these match.
   */
  private static final String MANIFEST =
      """
      cd "$1" && find . | sort | while IFS= read -r p; do
        t=$(stat -c %F "$p")
        line="$p|$t|$(stat -c '%a|%u|%g' "$p")"
        case "$t" in
          "regular file") line="$line|$(stat -c '%h|%Y' "$p")|$(md5sum < "$p" | cut -d' ' -f1)" ;;
          "symbolic link") line="$line|$(readlink "$p")" ;;
          directory) line="$line|$(stat -c %Y "$p")" ;;
        esac
        echo "$line"
      done
      """;

  /** Data with everything a restore must keep, and a FIFO that export leaves out. */
  private static final String POPULATE =
      """
      set -e
      cd /data
      mkdir -p secret empty/nested-empty docs n123456789n123456789n123456789n123456789n123456789\
      n123456789n123456789n123456789n123456789n123456789n123456789n123456789
      printf 'top secret\\n' > secret/key
      chmod 600 secret/key
      chmod 750 secret
      head -c 3000000 /dev/urandom > docs/big.bin
      echo hello > docs/hello.txt
      ln docs/hello.txt docs/hard.txt
      chown 1234:5678 docs/hello.txt
      ln -s secret/key link-to-key
      ln -s ../empty docs/up
      echo deep > n123456789n123456789n123456789n123456789n123456789\
      n123456789n123456789n123456789n123456789n123456789n123456789n123456789/file
      mkfifo pipe
      chown 1000:1000 /data
      chmod 770 /data
      touch -d '2021-03-04 05:06:07' docs/hello.txt secret /data
      """;

  private final DockerClient docker;

  @TempDir Path storeRoot;

  private FileSystemArchiveStore store;
  private DockerArchiveActivities activities;
  private final List<String> sandboxIds = new ArrayList<>();
  private final List<Path> mounts = new ArrayList<>();

  DockerArchiveActivitiesTest(DockerClient docker) {
    this.docker = docker;
  }

  @BeforeEach
  void setUp() {
    store = new FileSystemArchiveStore(storeRoot);
    activities = new DockerArchiveActivities(docker, store, LIMIT);
  }

  @AfterEach
  void cleanUp() throws Exception {
    for (String id : sandboxIds) {
      try {
        docker.unpauseContainerCmd("sandbar-" + id).exec();
      } catch (RuntimeException notPaused) {
        // Only the pause test leaves one paused.
      }
      DockerTestSupport.removeAllOf(docker, id);
    }
    for (Path mount : mounts) {
      run("umount", mount.toString());
    }
  }

  @Test
  void restoredSandboxHoldsTheSameFilesModesOwnersAndLinks() throws Exception {
    String source = startedSandboxWithData();
    List<String> original = manifest(source, "/data");

    ArchiveFile archive = export(source, "arc-roundtrip");
    Path file = store.archivePath("arc-roundtrip");
    assertThat(archive.sizeBytes()).isEqualTo(Files.size(file));
    assertThat(archive.sha256()).isEqualTo(sha256(file));

    String target = createdSandbox("/data");
    activities.restoreData(new RestoreData(new ContainerRef(target), archive, "/data"));
    // A retried restore extracts the same files over the first ones.
    activities.restoreData(new RestoreData(new ContainerRef(target), archive, "/data"));
    start(target);

    List<String> restored = manifest(target, "/data");
    assertThat(restored).isEqualTo(withoutFifo(original));
    assertThat(restored)
        .anyMatch(line -> line.equals(".|directory|770|1000|1000|1614834367"))
        .anyMatch(line -> line.startsWith("./secret|directory|750|0|0|1614834367"))
        .anyMatch(line -> line.startsWith("./secret/key|regular file|600|0|0|1|"))
        .anyMatch(line -> line.startsWith("./docs/hello.txt|regular file|644|1234|5678|2|"))
        .anyMatch(line -> line.equals("./link-to-key|symbolic link|777|0|0|secret/key"))
        .anyMatch(line -> line.startsWith("./empty/nested-empty|directory|"))
        .noneMatch(line -> line.startsWith("./pipe|"));
    assertThat(sh(target, "cat /data/link-to-key")).isEqualTo("top secret\n");
  }

  @Test
  void restoresIntoASandboxWhoseDataPathDiffers() throws Exception {
    String source = startedSandboxWithData();
    List<String> original = manifest(source, "/data");
    ArchiveFile archive = export(source, "arc-elsewhere");

    String target = createdSandbox("/work");
    activities.restoreData(new RestoreData(new ContainerRef(target), archive, "/work"));
    start(target);

    assertThat(manifest(target, "/work")).isEqualTo(withoutFifo(original));
  }

  @Test
  void exportsFromAPausedSandbox() throws Exception {
    String source = startedSandboxWithData();
    List<String> original = manifest(source, "/data");
    docker.pauseContainerCmd("sandbar-" + source).exec();

    ArchiveFile archive = export(source, "arc-paused");

    assertThat(docker.inspectContainerCmd("sandbar-" + source).exec().getState().getPaused())
        .isTrue();
    String target = createdSandbox("/data");
    activities.restoreData(new RestoreData(new ContainerRef(target), archive, "/data"));
    start(target);
    assertThat(manifest(target, "/data")).isEqualTo(withoutFifo(original));
  }

  @Test
  void exportInsideAnActivityHeartbeatsWithTheBytesWrittenSoFar() {
    String source = startedSandboxWithData();
    TestActivityEnvironment environment = TestActivityEnvironment.newInstance();
    try {
      List<Long> heartbeats = new CopyOnWriteArrayList<>();
      environment.setActivityHeartbeatListener(Long.class, heartbeats::add);
      environment.registerActivitiesImplementations(activities);
      ArchiveActivities stub =
          environment.newActivityStub(
              ArchiveActivities.class,
              ActivityOptions.newBuilder()
                  .setStartToCloseTimeout(Duration.ofMinutes(2))
                  .setHeartbeatTimeout(Duration.ofSeconds(30))
                  .build());

      ArchiveFile archive =
          stub.exportData(new ExportData(new ContainerRef(source), "arc-activity", "/data"));

      assertThat(heartbeats).isNotEmpty().allMatch(bytes -> bytes > 0);
      assertThat(heartbeats.getLast()).isLessThanOrEqualTo(archive.sizeBytes());
    } finally {
      environment.close();
    }
  }

  @Test
  void exportToAStoreThatIsAFileFailsWithoutLeavingAnything() throws Exception {
    String source = startedSandboxWithData();
    Path notADirectory = Files.writeString(storeRoot.resolve("store-is-a-file"), "keep me");
    DockerArchiveActivities broken =
        new DockerArchiveActivities(docker, new FileSystemArchiveStore(notADirectory), LIMIT);

    ApplicationFailure failure = exportFailure(broken, source, "arc-nowhere");

    assertThat(failure.getType()).isEqualTo(ErrorType.EXPORT_FAILED.name());
    assertThat(failure.isNonRetryable()).isTrue();
    assertThat(failure.getOriginalMessage()).contains("archive store cannot take");
    assertThat(notADirectory).hasContent("keep me");
  }

  @Test
  void exportToAStoreUnderProcFails() throws Exception {
    String source = startedSandboxWithData();
    DockerArchiveActivities broken =
        new DockerArchiveActivities(
            docker, new FileSystemArchiveStore(Path.of("/proc/sandbar-archive-test")), LIMIT);

    ApplicationFailure failure = exportFailure(broken, source, "arc-proc");

    assertThat(failure.getType()).isEqualTo(ErrorType.EXPORT_FAILED.name());
    assertThat(Path.of("/proc/sandbar-archive-test")).doesNotExist();
  }

  @Test
  void exportThatFillsTheDiskFailsAndRemovesItsPartialFile() throws Exception {
    String source = startedSandboxWithData();
    Path small = Files.createDirectory(storeRoot.resolve("small-disk"));
    mountTmpfs(small, "512k");
    FileSystemArchiveStore smallStore = new FileSystemArchiveStore(small);
    DockerArchiveActivities onSmallDisk = new DockerArchiveActivities(docker, smallStore, LIMIT);

    ApplicationFailure failure = exportFailure(onSmallDisk, source, "arc-full");

    assertThat(failure.getType()).isEqualTo(ErrorType.EXPORT_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("No space left on device");
    assertThat(smallStore.partialPath("arc-full")).doesNotExist();
    assertThat(smallStore.archivePath("arc-full")).doesNotExist();
    try (Stream<Path> left = Files.list(small.resolve(".tmp"))) {
      assertThat(left).isEmpty();
    }
  }

  @Test
  void exportAboveTheSizeLimitFailsAndRemovesItsPartialFile() throws Exception {
    String source = startedSandboxWithData();
    DockerArchiveActivities limited = new DockerArchiveActivities(docker, store, 1024 * 1024);

    ApplicationFailure failure = exportFailure(limited, source, "arc-big");

    assertThat(failure.getType()).isEqualTo(ErrorType.EXPORT_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("docs/big.bin").contains("limit");
    assertThat(store.partialPath("arc-big")).doesNotExist();
    assertThat(store.archivePath("arc-big")).doesNotExist();
  }

  @Test
  void exportOfADataPathWhoseSymlinksNeedTooMuchBookkeepingFailsAndLeavesTheSandboxAsItWas() {
    String source = startedSandboxWithData();
    // 9000 symlinks with 4000-character targets (made by few ln calls, as xargs groups them): more
    // than the
    // default 64 MiB of bookkeeping the export may hold to check them, while the tree is a few
    // megabytes on disk.
    sh(
        source,
        """
        set -e
        mkdir /data/links && cd /data/links
        p=$(head -c 3990 /dev/zero | tr '\\0' a)
        seq 9000 | sed "s|^|$p/|" | xargs sh -c 'ln -s "$@" .' sh
        [ "$(ls | wc -l)" = 9000 ]
        """);
    String listing = "ls -lRn --full-time /data | md5sum";
    String before = sh(source, listing);

    ApplicationFailure failure = exportFailure(activities, source, "arc-links");

    assertThat(failure.getType()).isEqualTo(ErrorType.EXPORT_FAILED.name());
    assertThat(failure.getOriginalMessage()).contains("symlinks").contains("bytes");
    assertThat(store.partialPath("arc-links")).doesNotExist();
    assertThat(store.archivePath("arc-links")).doesNotExist();
    assertThat(docker.inspectContainerCmd("sandbar-" + source).exec().getState().getRunning())
        .isTrue();
    assertThat(sh(source, listing)).isEqualTo(before);
  }

  @Test
  void sparseFileIsArchivedWithItsHolesAndRestoresWhole() throws Exception {
    String source = createdSandbox("/data");
    start(source);
    sh(source, "truncate -s 60M /data/sparse && echo end >> /data/sparse");

    ArchiveFile archive = export(source, "arc-sparse");

    Path file = store.archivePath("arc-sparse");
    assertThat(archive.sizeBytes()).isGreaterThan(60L * 1024 * 1024);
    assertThat(Files.size(file)).isEqualTo(archive.sizeBytes());
    assertThat(allocatedBytes(file)).isLessThan(4L * 1024 * 1024);
    String target = createdSandbox("/data");
    start(target);
    activities.restoreData(new RestoreData(new ContainerRef(target), archive, "/data"));
    assertThat(sh(target, "stat -c %s /data/sparse; tail -c 4 /data/sparse"))
        .isEqualTo((60L * 1024 * 1024 + 4) + "\nend\n");
  }

  @Test
  void exportOfAMissingSandboxIsContainerGone() {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () ->
                activities.exportData(
                    new ExportData(
                        new ContainerRef(DockerTestSupport.randomSandboxId()),
                        "arc-ghost",
                        "/data")));

    assertThat(failure.getType()).isEqualTo(ErrorType.CONTAINER_GONE.name());
    assertThat(store.partialPath("arc-ghost")).doesNotExist();
  }

  @Test
  void corruptedArchiveIsRefusedAndWritesNothing() throws Exception {
    String source = startedSandboxWithData();
    ArchiveFile archive = export(source, "arc-corrupt");
    Path file = store.archivePath("arc-corrupt");
    byte[] bytes = Files.readAllBytes(file);
    bytes[bytes.length / 2] ^= 0x01;
    Files.write(file, bytes);
    String target = createdSandbox("/data");

    ApplicationFailure flipped = restoreFailure(target, archive, "/data");
    Files.write(file, Arrays.copyOf(bytes, bytes.length + 1));
    ApplicationFailure grown = restoreFailure(target, archive, "/data");

    assertThat(flipped.getType()).isEqualTo(ErrorType.ARCHIVE_CORRUPT.name());
    assertThat(flipped.getOriginalMessage()).contains("sha256");
    assertThat(grown.getType()).isEqualTo(ErrorType.ARCHIVE_CORRUPT.name());
    start(target);
    assertThat(sh(target, "ls -A /data")).isEmpty();
  }

  @Test
  void missingArchiveIsNotFound() {
    String target = createdSandbox("/data");

    ApplicationFailure failure =
        restoreFailure(target, new ArchiveFile("arc-never", 10, "00"), "/data");

    assertThat(failure.getType()).isEqualTo(ErrorType.ARCHIVE_NOT_FOUND.name());
  }

  @Test
  void unsafeArchivesAreRefusedAndWriteNothingInsideOrOutsideTheDataPath() throws Exception {
    String target = createdSandbox("/data");
    String passwdBefore = "root:x:0:0:root:/root:/bin/sh\n";

    for (Map.Entry<String, byte[]> crafted : CraftedTars.unsafe().entrySet()) {
      ArchiveFile archive = store("arc-unsafe-" + sandboxIds.size(), crafted.getValue());
      ApplicationFailure failure = restoreFailure(target, archive, "/data");

      assertThat(failure.getType()).as(crafted.getKey()).isEqualTo(ErrorType.ARCHIVE_UNSAFE.name());
      assertThat(failure.isNonRetryable()).as(crafted.getKey()).isTrue();
      store.delete(archive.archiveId());
    }

    start(target);
    assertThat(sh(target, "ls -A /data")).isEmpty();
    assertThat(sh(target, "ls /escape /etc/evil /x /data/../escape 2>&1; true"))
        .doesNotContain("/escape\n")
        .contains("No such file");
    assertThat(
            sh(
                target,
                "for p in /escape /etc/evil /x /passwd /null /big; do"
                    + " [ -e $p ] && echo FOUND $p; done; true"))
        .isEmpty();
    assertThat(sh(target, "cat /etc/passwd")).isEqualTo(passwdBefore);
  }

  @Test
  void restoreIntoAMissingSandboxIsContainerGone() throws Exception {
    ArchiveFile archive = store("arc-orphan", CraftedTars.tar().file("a", "a").bytes());

    ApplicationFailure failure =
        restoreFailure(DockerTestSupport.randomSandboxId(), archive, "/data");

    assertThat(failure.getType()).isEqualTo(ErrorType.CONTAINER_GONE.name());
  }

  @Test
  void discardRemovesTheArchiveAndAnyPartialAndToleratesAbsence() throws Exception {
    store("arc-discard", CraftedTars.tar().file("a", "a").bytes());
    Files.writeString(store.partialPath("arc-discard"), "half-written");

    activities.discardArchive("arc-discard");

    assertThat(store.archivePath("arc-discard")).doesNotExist();
    assertThat(store.partialPath("arc-discard")).doesNotExist();
    assertThatCode(() -> activities.discardArchive("arc-discard")).doesNotThrowAnyException();
    assertThatCode(() -> activities.discardArchive("arc-never-existed")).doesNotThrowAnyException();
  }

  @Test
  void invalidArchiveIdsAndDataPathsAreRefused() {
    String id = DockerTestSupport.randomSandboxId();
    ApplicationFailure badId =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.exportData(new ExportData(new ContainerRef(id), "../x", "/data")));
    ApplicationFailure badPath =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.exportData(new ExportData(new ContainerRef(id), "arc", "data")));

    assertThat(badId.getType()).isEqualTo(ErrorType.INVALID_ARGUMENT.name());
    assertThat(badPath.getType()).isEqualTo(ErrorType.INVALID_ARGUMENT.name());
  }

  // --- helpers ---

  private String createdSandbox(String dataPath) {
    String id = DockerTestSupport.randomSandboxId();
    sandboxIds.add(id);
    ContainerRef ref = new ContainerRef(id);
    Map<String, String> labels = Map.of(ContainerLabels.SANDBOX_ID, id);
    docker.createVolumeCmd().withName(ref.volumeName()).withLabels(labels).exec();
    docker
        .createContainerCmd(DockerTestSupport.IMAGE)
        .withName(ref.containerName())
        .withLabels(labels)
        .withCmd("sleep", "infinity")
        .withHostConfig(
            HostConfig.newHostConfig()
                .withInit(true)
                .withBinds(new Bind(ref.volumeName(), new Volume(dataPath))))
        .exec();
    return id;
  }

  private String startedSandboxWithData() {
    String id = createdSandbox("/data");
    start(id);
    sh(id, POPULATE);
    return id;
  }

  private void start(String id) {
    docker.startContainerCmd("sandbar-" + id).exec();
  }

  private ArchiveFile export(String id, String archiveId) {
    return activities.exportData(new ExportData(new ContainerRef(id), archiveId, "/data"));
  }

  private static ApplicationFailure exportFailure(
      DockerArchiveActivities activities, String id, String archiveId) {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.exportData(new ExportData(new ContainerRef(id), archiveId, "/data")));
    assertThat(failure).as("export of " + id + " should have failed").isNotNull();
    return failure;
  }

  private ApplicationFailure restoreFailure(String id, ArchiveFile archive, String dataPath) {
    ApplicationFailure failure =
        catchThrowableOfType(
            ApplicationFailure.class,
            () -> activities.restoreData(new RestoreData(new ContainerRef(id), archive, dataPath)));
    assertThat(failure).as("restore of " + archive.archiveId() + " should have failed").isNotNull();
    return failure;
  }

  /** Puts bytes in the store the way an export would, returning what the export would report. */
  private ArchiveFile store(String archiveId, byte[] tar) throws Exception {
    try (ArchiveWriter writer = store.put(archiveId)) {
      writer.output().write(tar);
      writer.commit();
    }
    return new ArchiveFile(archiveId, tar.length, sha256(store.archivePath(archiveId)));
  }

  private List<String> manifest(String id, String dataPath) {
    String out = sh(id, "set -- " + dataPath + "\n" + MANIFEST);
    return out.lines().collect(Collectors.toList());
  }

  private static List<String> withoutFifo(List<String> manifest) {
    assertThat(manifest).anyMatch(line -> line.startsWith("./pipe|fifo"));
    return manifest.stream().filter(line -> !line.startsWith("./pipe|")).toList();
  }

  private String sh(String id, String script) {
    DockerTestSupport.ExecResult result =
        DockerTestSupport.exec(docker, "sandbar-" + id, "sh", "-c", script);
    assertThat(result.exitCode()).as("script failed: %s\n%s", result.stderr(), script).isZero();
    return result.stdout();
  }

  private static String sha256(Path file) throws IOException, NoSuchAlgorithmException {
    MessageDigest digest = MessageDigest.getInstance("SHA-256");
    return HexFormat.of().formatHex(digest.digest(Files.readAllBytes(file)));
  }

  private void mountTmpfs(Path dir, String size) throws Exception {
    String out =
        run("mount", "-t", "tmpfs", "-o", "size=" + size, "sandbar-archive-test", dir.toString());
    if (out != null) {
      throw new AssertionError(
          "this test fills a small tmpfs to make the disk really full; mounting one needs root"
              + " with CAP_SYS_ADMIN (as on Sandbar's dev and CI machines): "
              + out);
    }
    mounts.add(dir);
  }

  /** What the file system allocated for the file ({@code st_blocks} times their size). */
  private static long allocatedBytes(Path file) throws Exception {
    Process stat = new ProcessBuilder("stat", "-c", "%b %B", file.toString()).start();
    String[] out = new String(stat.getInputStream().readAllBytes()).trim().split(" ");
    assertThat(stat.waitFor()).isZero();
    return Long.parseLong(out[0]) * Long.parseLong(out[1]);
  }

  /** Runs a host command; null when it succeeded, else its output. */
  private static String run(String... command) throws Exception {
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String output = new String(process.getInputStream().readAllBytes());
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return "timed out: " + String.join(" ", command);
    }
    return process.exitValue() == 0 ? null : output + " (exit " + process.exitValue() + ")";
  }
}
