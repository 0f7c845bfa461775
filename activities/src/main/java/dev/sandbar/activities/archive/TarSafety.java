package dev.sandbar.activities.archive;

import dev.sandbar.activities.archive.TarStreams.KeepOpenOutput;
import dev.sandbar.activities.archive.TarStreams.RecordingInput;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Copies a tar entry by entry, rejecting anything that could land outside the directory it is
 * extracted into, and writes a plain uncompressed tar of what passed. Streaming: memory is bounded
 * by one buffer plus the archive's symlinks, which are bounded in bytes (an archive whose symlinks
 * need more is refused); checking them is linear in the archive's names and targets, and reports
 * progress throughout so the activity keeps heartbeating.
 *
 * <p>Rejected ({@link UnsafeArchiveException}): absolute entry names and names whose {@code ..}
 * leaves the root; entries written through a symlink of the same archive; symlinks whose target,
 * followed through the archive's other symlinks the way the kernel would, leaves the root (an
 * absolute target counts as inside only under {@code absoluteRoot}, the path the root is extracted
 * to), or whose target is longer than a file system stores; more symlink bookkeeping than {@link
 * #withSymlinkBookkeepingLimit} allows; hard links to absolute or escaping paths; character and
 * block devices, FIFOs, sparse and other special entries; an entry or a running total of declared
 * file sizes above the limit, judged from the header before its data is read.
 *
 * <p>Kept: names (normalised; the root as {@code ./}, or as the data directory's name on restore),
 * modes, mtimes, atimes, numeric and named owners, symlink texts, hard links, empty directories,
 * extended attributes.
 *
 * <p>Because a symlink can be made unsafe by one that comes later, the verdict on symlinks is final
 * only when the whole archive has been read: callers that must not act on a rejected archive
 * validate it completely (into a discarding stream) before copying it anywhere that matters.
 */
public final class TarSafety {

  private static final int BUFFER_BYTES = 64 * 1024;

  private final long maxTotalBytes;
  private final String absoluteRoot;
  private final EntryNames names;
  private final boolean dropFifos;
  private final long maxSymlinkBookkeepingBytes;
  private final OwnerShift owners;

  private TarSafety(
      long maxTotalBytes,
      String absoluteRoot,
      String stripDirectory,
      String addDirectory,
      boolean dropFifos) {
    this(
        maxTotalBytes,
        absoluteRoot,
        new EntryNames(stripDirectory, addDirectory),
        dropFifos,
        ArchiveWalk.DEFAULT_BOOKKEEPING_BYTES,
        OwnerShift.NONE);
  }

  private TarSafety(
      long maxTotalBytes,
      String absoluteRoot,
      EntryNames names,
      boolean dropFifos,
      long maxSymlinkBookkeepingBytes,
      OwnerShift owners) {
    if (maxTotalBytes <= 0) {
      throw new IllegalArgumentException("maxTotalBytes must be positive: " + maxTotalBytes);
    }
    this.maxTotalBytes = maxTotalBytes;
    this.absoluteRoot = absoluteRoot;
    this.names = names;
    this.dropFifos = dropFifos;
    this.maxSymlinkBookkeepingBytes = maxSymlinkBookkeepingBytes;
    this.owners = owners;
  }

  /**
   * The same rules with another bound on what the symlink checks may hold (estimated bytes of
   * names, targets and tree nodes; {@value ArchiveWalk#DEFAULT_BOOKKEEPING_BYTES} by default).
   */
  public TarSafety withSymlinkBookkeepingLimit(long bytes) {
    return new TarSafety(maxTotalBytes, absoluteRoot, names, dropFifos, bytes, owners);
  }

  /**
   * The same rules, writing every entry's owners through {@code shift} (see {@link OwnerShift}).
   */
  public TarSafety withOwnerShift(OwnerShift shift) {
    return new TarSafety(
        maxTotalBytes, absoluteRoot, names, dropFifos, maxSymlinkBookkeepingBytes, shift);
  }

  /**
   * Checks an archive of entries relative to the data path before it is extracted at {@code
   * dataPath}; absolute symlink targets count as inside only when they are under it. The output
   * puts every entry under the data directory's base name (the root as {@code data/}), to be
   * extracted in the data path's parent: Docker skips a {@code ./} entry for an existing directory,
   * which would lose the data directory's own owner, mode and mtime.
   */
  public static TarSafety forRestore(long maxTotalBytes, String dataPath) {
    String path = requireDataPath(dataPath);
    return new TarSafety(maxTotalBytes, path, null, baseName(path), false);
  }

  /**
   * Rewrites what Docker's archive API returns for {@code dataPath} (every entry under the data
   * directory's base name) into entries relative to the data path, applying the restore rules so an
   * archive a restore would refuse is never stored. FIFOs are dropped instead of refused: they hold
   * no data, any user can make one, and programs recreate them.
   */
  public static TarSafety forExport(long maxTotalBytes, String dataPath) {
    String path = requireDataPath(dataPath);
    return new TarSafety(maxTotalBytes, path, baseName(path), null, true);
  }

  /** The directory a restored archive is extracted into: the data path's parent. */
  public static String extractionDirectory(String dataPath) {
    String path = requireDataPath(dataPath);
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  private static String baseName(String dataPath) {
    return dataPath.substring(dataPath.lastIndexOf('/') + 1);
  }

  /**
   * A data path as Sandbar accepts it: absolute, normalised, not the container's root.
   *
   * @throws IllegalArgumentException otherwise
   */
  public static String requireDataPath(String dataPath) {
    if (dataPath == null
        || !dataPath.startsWith("/")
        || dataPath.length() < 2
        || dataPath.endsWith("/")
        || dataPath.contains("//")
        || ("/" + dataPath + "/").contains("/./")
        || ("/" + dataPath + "/").contains("/../")
        || dataPath.indexOf('\0') >= 0) {
      throw new IllegalArgumentException(
          "data path must be an absolute, normalised path below /, got: " + dataPath);
    }
    return dataPath;
  }

  /** What a copy wrote. */
  public record Summary(long entries, long dataBytes, long droppedFifos) {}

  /**
   * Copies {@code in} to {@code out} as described in the class comment. Neither stream is closed;
   * {@code out} is flushed at the end. {@code progress} is called on this thread with the file
   * bytes copied so far (it may throw to abort the copy).
   *
   * @throws UnsafeArchiveException the archive breaks a rule
   * @throws MalformedArchiveException the bytes are not a readable tar
   * @throws IOException exactly as thrown by {@code in} or {@code out}
   */
  public Summary copy(InputStream in, OutputStream out, LongConsumer progress) throws IOException {
    RecordingInput source = new RecordingInput(in);
    KeepOpenOutput sink = new KeepOpenOutput(out);
    TarArchiveInputStream tarIn = new TarArchiveInputStream(source);
    TarArchiveOutputStream tarOut = new TarArchiveOutputStream(sink);
    tarOut.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tarOut.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tarOut.setAddPaxHeadersForNonAsciiNames(true);
    ArchiveWalk walk = new ArchiveWalk(absoluteRoot, names, maxSymlinkBookkeepingBytes);
    byte[] buffer = new byte[BUFFER_BYTES];
    long entries = 0;
    long declared = 0;
    long copied = 0;
    long dropped = 0;
    TarArchiveEntry entry;
    while ((entry = next(tarIn, source)) != null) {
      if (entry.isGlobalPaxHeader()) {
        continue; // the reader has already applied it to the entries that follow
      }
      String raw = entry.getName();
      EntryKind kind = EntryKind.of(entry);
      if (kind == EntryKind.FIFO) {
        if (!dropFifos) {
          throw new UnsafeArchiveException("entry '" + raw + "' is a FIFO; refusing special files");
        }
        dropped++;
        continue;
      }
      List<String> path = walk.entryPath(names.strip(raw, raw), raw);
      String joined = String.join("/", path);
      if (path.isEmpty() && kind != EntryKind.DIRECTORY) {
        throw new UnsafeArchiveException(
            "entry '" + raw + "' names the archive root but is not a directory");
      }
      long size = 0;
      if (kind == EntryKind.FILE) {
        size = entry.getSize();
        if (size < 0) {
          throw new MalformedArchiveException(
              "entry '" + raw + "' declares a negative size " + size, null);
        }
        if (size > maxTotalBytes) {
          throw new UnsafeArchiveException(
              "entry '"
                  + raw
                  + "' declares "
                  + size
                  + " bytes, more than the "
                  + maxTotalBytes
                  + "-byte limit");
        }
        declared += size;
        if (declared > maxTotalBytes) {
          throw new UnsafeArchiveException(
              "archive declares more than the "
                  + maxTotalBytes
                  + "-byte limit of file data (passed at entry '"
                  + raw
                  + "')");
        }
      }

      TarArchiveEntry copy;
      switch (kind) {
        case DIRECTORY -> {
          String name = path.isEmpty() ? names.output("") + "/" : names.output(joined) + "/";
          copy = new LongNameEntry(name, TarConstants.LF_DIR);
        }
        case SYMLINK -> {
          String target = entry.getLinkName();
          walk.checkSymlink(path, target, raw);
          copy = new LongNameEntry(names.output(joined), TarConstants.LF_SYMLINK);
          copy.setLinkName(target);
        }
        case HARDLINK -> {
          List<String> target = walk.hardLinkTarget(entry.getLinkName(), raw);
          copy = new LongNameEntry(names.output(joined), TarConstants.LF_LINK);
          copy.setLinkName(names.output(String.join("/", target)));
        }
        case FILE -> {
          copy = new LongNameEntry(names.output(joined), TarConstants.LF_NORMAL);
          copy.setSize(size);
        }
        default -> throw new IllegalStateException("unhandled kind " + kind);
      }
      EntryKind.copyMetadata(entry, copy);
      copy.setUserId(owners.uid(copy.getLongUserId()));
      copy.setGroupId(owners.gid(copy.getLongGroupId()));
      tarOut.putArchiveEntry(copy);
      if (kind == EntryKind.FILE) {
        long remaining = size;
        while (remaining > 0) {
          int n = read(tarIn, source, buffer, (int) Math.min(buffer.length, remaining), raw);
          if (n < 0) {
            throw new MalformedArchiveException(
                "entry '" + raw + "' ends " + remaining + " bytes short of its declared size",
                null);
          }
          tarOut.write(buffer, 0, n);
          remaining -= n;
          copied += n;
          progress.accept(copied);
        }
      }
      tarOut.closeArchiveEntry();
      walk.record(path, kind == EntryKind.SYMLINK ? entry.getLinkName() : null);
      entries++;
      progress.accept(copied);
    }
    long total = copied;
    walk.checkAllSymlinks(() -> progress.accept(total));
    tarOut.finish();
    sink.flush();
    return new Summary(entries, copied, dropped);
  }

  private static TarArchiveEntry next(TarArchiveInputStream tarIn, RecordingInput source)
      throws IOException {
    try {
      return tarIn.getNextEntry();
    } catch (IOException | RuntimeException e) {
      throw sourceOrMalformed(source, e, "cannot read the next tar header");
    }
  }

  private static int read(
      TarArchiveInputStream tarIn, RecordingInput source, byte[] buffer, int length, String raw)
      throws IOException {
    try {
      return tarIn.read(buffer, 0, length);
    } catch (IOException | RuntimeException e) {
      throw sourceOrMalformed(source, e, "cannot read the data of entry '" + raw + "'");
    }
  }

  private static IOException sourceOrMalformed(RecordingInput source, Exception e, String what) {
    if (source.failure != null) {
      return source.failure;
    }
    return new MalformedArchiveException("not a readable tar: " + what + ": " + e.getMessage(), e);
  }
}
