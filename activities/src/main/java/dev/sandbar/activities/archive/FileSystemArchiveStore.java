package dev.sandbar.activities.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Archives as files under one directory: {@code <root>/<archiveId>.tar}. Writes go to {@code
 * <root>/.tmp/<archiveId>.tar.partial}, are fsynced and then renamed atomically, so a crash leaves
 * either the old state or the complete archive, never a torn one under the real name. Broken
 * archives are moved to {@code <root>/quarantine/} with a {@code .reason} file beside them.
 *
 * <p>Runs of zeros that fill whole blocks are left as holes ({@link SparseFileOutput}): a sandbox's
 * sparse file costs the host only its data.
 *
 * <p>Directories are created on first write, not in the constructor, so a worker whose store is
 * misconfigured still starts and reports the problem through the export that needs it.
 */
public final class FileSystemArchiveStore implements ArchiveStore {

  static final String SUFFIX = ".tar";
  static final String PARTIAL_SUFFIX = ".tar.partial";
  static final String REASON_SUFFIX = ".reason";
  static final String TMP_DIR = ".tmp";
  static final String QUARANTINE_DIR = "quarantine";

  /**
   * Partial files being written in this JVM. Two attempts of one export can overlap when the first
   * has timed out but not yet stopped; sharing one partial file would interleave their bytes. One
   * worker process owns a store directory, so a JVM-wide set is enough.
   */
  private static final Set<Path> WRITING = ConcurrentHashMap.newKeySet();

  private final Path root;

  public FileSystemArchiveStore(Path root) {
    this.root = root.toAbsolutePath().normalize();
  }

  public Path root() {
    return root;
  }

  /** Where the complete archive lives; exposed for tests and for operators reading logs. */
  public Path archivePath(String archiveId) {
    return root.resolve(ArchiveStore.requireValidId(archiveId) + SUFFIX);
  }

  /** Where a half-written archive lives while it is being written. */
  public Path partialPath(String archiveId) {
    return root.resolve(TMP_DIR).resolve(ArchiveStore.requireValidId(archiveId) + PARTIAL_SUFFIX);
  }

  public Path quarantineDir() {
    return root.resolve(QUARANTINE_DIR);
  }

  @Override
  public ArchiveWriter put(String archiveId) throws IOException {
    Path partial = partialPath(archiveId);
    Path target = archivePath(archiveId);
    if (!WRITING.add(partial)) {
      throw new ArchiveBusyException("archive " + archiveId + " is already being written");
    }
    try {
      PrivateFiles.createDirectories(partial.getParent());
      // A partial file left by an earlier attempt may predate private modes; start a new one.
      Files.deleteIfExists(partial);
      FileChannel channel =
          FileChannel.open(
              partial,
              Set.of(
                  StandardOpenOption.CREATE_NEW,
                  StandardOpenOption.WRITE,
                  LinkOption.NOFOLLOW_LINKS),
              PrivateFiles.fileMode());
      return new FileWriter(archiveId, partial, target, channel);
    } catch (IOException | RuntimeException e) {
      WRITING.remove(partial);
      throw new ArchiveStoreException(
          "cannot create " + partial + " in archive store " + root + ": " + describe(e), e);
    }
  }

  @Override
  public InputStream get(String archiveId) throws IOException {
    return Files.newInputStream(archivePath(archiveId), LinkOption.NOFOLLOW_LINKS);
  }

  @Override
  public OptionalLong size(String archiveId) throws IOException {
    try {
      BasicFileAttributes attrs =
          Files.readAttributes(
              archivePath(archiveId), BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
      return attrs.isRegularFile() ? OptionalLong.of(attrs.size()) : OptionalLong.empty();
    } catch (NoSuchFileException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public boolean delete(String archiveId) throws IOException {
    boolean archive = Files.deleteIfExists(archivePath(archiveId));
    boolean partial = Files.deleteIfExists(partialPath(archiveId));
    return archive || partial;
  }

  @Override
  public List<StoredArchive> list() throws IOException {
    List<StoredArchive> found = new ArrayList<>();
    if (!Files.isDirectory(root)) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(root, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        String id = name.substring(0, name.length() - SUFFIX.length());
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // deleted while listing
        }
        if (attrs.isRegularFile() && ArchiveStore.VALID_ID.matcher(id).matches()) {
          found.add(new StoredArchive(id, attrs.size()));
        }
      }
    }
    found.sort(Comparator.comparing(StoredArchive::archiveId));
    return found;
  }

  @Override
  public void quarantine(String archiveId, String reason) throws IOException {
    Path source = archivePath(archiveId);
    if (!Files.isRegularFile(source, LinkOption.NOFOLLOW_LINKS)) {
      throw new NoSuchFileException(source.toString(), null, "no archive to quarantine");
    }
    Path dir = quarantineDir();
    PrivateFiles.createDirectories(dir);
    // A hard link fails instead of replacing, so an earlier quarantined copy of the same id is
    // never overwritten; the original name goes only once the copy is safe.
    String base = archiveId;
    Path target = dir.resolve(base + SUFFIX);
    for (int attempt = 0; ; attempt++) {
      try {
        Files.createLink(target, source);
        break;
      } catch (FileAlreadyExistsException e) {
        base = archiveId + "." + Instant.now().toEpochMilli() + (attempt == 0 ? "" : "-" + attempt);
        target = dir.resolve(base + SUFFIX);
      }
    }
    PrivateFiles.writeString(
        dir.resolve(base + REASON_SUFFIX),
        "archive: " + archiveId + "\nquarantined: " + Instant.now() + "\nreason: " + reason + "\n");
    Files.delete(source);
    syncDirectory(dir);
    syncDirectory(root);
  }

  /**
   * {@inheritDoc}
   *
   * <p>When it was quarantined is the time its {@code .reason} note was written (the archive itself
   * is a hard link and keeps its old time), or the archive's own time when the note is missing.
   */
  @Override
  public List<QuarantinedArchive> quarantined() throws IOException {
    List<QuarantinedArchive> found = new ArrayList<>();
    Path dir = quarantineDir();
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return found;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(dir, "*" + SUFFIX)) {
      for (Path file : files) {
        String name = file.getFileName().toString();
        name = name.substring(0, name.length() - SUFFIX.length());
        BasicFileAttributes attrs;
        try {
          attrs = Files.readAttributes(file, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
          continue; // removed while listing
        }
        if (!attrs.isRegularFile()) {
          continue;
        }
        Path note = dir.resolve(name + REASON_SUFFIX);
        Instant at =
            Files.isRegularFile(note, LinkOption.NOFOLLOW_LINKS)
                ? Files.getLastModifiedTime(note, LinkOption.NOFOLLOW_LINKS).toInstant()
                : attrs.lastModifiedTime().toInstant();
        found.add(new QuarantinedArchive(name, attrs.size(), at));
      }
    }
    found.sort(Comparator.comparing(QuarantinedArchive::name));
    return found;
  }

  @Override
  public boolean removeQuarantined(String name) throws IOException {
    ArchiveStore.requireValidId(name);
    Path dir = quarantineDir();
    boolean archive = Files.deleteIfExists(dir.resolve(name + SUFFIX));
    boolean note = Files.deleteIfExists(dir.resolve(name + REASON_SUFFIX));
    if (archive || note) {
      syncDirectory(dir);
    }
    return archive || note;
  }

  private static void syncDirectory(Path dir) throws IOException {
    try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
      channel.force(true);
    }
  }

  private static String describe(Throwable e) {
    String message = e.getMessage();
    return e.getClass().getSimpleName() + (message == null ? "" : ": " + message);
  }

  private final class FileWriter implements ArchiveWriter {
    private final String archiveId;
    private final Path partial;
    private final Path target;
    private final FileChannel channel;
    private final SparseFileOutput file;
    private final OutputStream output;
    private boolean committed;
    private boolean closed;

    FileWriter(String archiveId, Path partial, Path target, FileChannel channel) {
      this.archiveId = archiveId;
      this.partial = partial;
      this.target = target;
      this.channel = channel;
      this.file = new SparseFileOutput(channel);
      this.output = new StoreOutputStream(file);
    }

    @Override
    public OutputStream output() {
      return output;
    }

    @Override
    public void commit() throws ArchiveStoreException {
      if (closed || committed) {
        throw new IllegalStateException("archive " + archiveId + " writer is already finished");
      }
      try {
        file.finish();
        channel.force(true);
        channel.close();
        Files.move(partial, target, StandardCopyOption.ATOMIC_MOVE);
        syncDirectory(root);
        committed = true;
      } catch (IOException e) {
        throw new ArchiveStoreException(
            "cannot complete archive " + archiveId + " in " + root + ": " + describe(e), e);
      }
    }

    @Override
    public void close() {
      if (closed) {
        return;
      }
      closed = true;
      try {
        channel.close();
      } catch (IOException e) {
        // The bytes are being thrown away anyway.
      }
      try {
        if (!committed) {
          Files.deleteIfExists(partial);
        }
      } catch (IOException e) {
        // A leftover partial is overwritten by the next attempt and removed by discard.
      } finally {
        WRITING.remove(partial);
      }
    }

    /** Tags every failure of the file as the store's, whatever layer it surfaces through. */
    private final class StoreOutputStream extends OutputStream {
      private final OutputStream delegate;

      StoreOutputStream(OutputStream delegate) {
        this.delegate = delegate;
      }

      @Override
      public void write(int b) throws IOException {
        try {
          delegate.write(b);
        } catch (IOException e) {
          throw failure(e);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          delegate.write(b, off, len);
        } catch (IOException e) {
          throw failure(e);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          delegate.flush();
        } catch (IOException e) {
          throw failure(e);
        }
      }

      @Override
      public void close() throws IOException {
        // The channel stays open until commit or close of the writer, which own its lifecycle.
        flush();
      }

      private ArchiveStoreException failure(IOException e) {
        return e instanceof ArchiveStoreException s
            ? s
            : new ArchiveStoreException(
                "cannot write archive " + archiveId + " to " + partial + ": " + describe(e), e);
      }
    }
  }
}
