package dev.sandbar.activities.archive;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.attribute.FileTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Copies a tar entry by entry, rejecting anything that could land outside the directory it is
 * extracted into, and writes a plain uncompressed tar of what passed. Streaming: memory is bounded
 * by one buffer plus the archive's symlinks.
 *
 * <p>Rejected ({@link UnsafeArchiveException}): absolute entry names and names whose {@code ..}
 * leaves the root; entries written through a symlink of the same archive; symlinks whose target,
 * followed through the archive's other symlinks the way the kernel would, leaves the root (an
 * absolute target counts as inside only under {@code absoluteRoot}, the path the root is extracted
 * to); hard links to absolute or escaping paths; character and block devices, FIFOs, sparse and
 * other special entries; an entry or a running total of declared file sizes above the limit, judged
 * from the header before its data is read.
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

  /** Same bound as Linux's path walk: a chain longer than this resolves to nothing at all. */
  static final int MAX_SYMLINK_HOPS = 40;

  /**
   * Symlinks are remembered to check chains; this bounds what a hostile archive can make us hold.
   */
  static final int MAX_SYMLINKS = 200_000;

  private static final int BUFFER_BYTES = 64 * 1024;

  private final long maxTotalBytes;
  private final String absoluteRoot;
  private final String stripDirectory;
  private final String addDirectory;
  private final boolean dropFifos;

  private TarSafety(
      long maxTotalBytes,
      String absoluteRoot,
      String stripDirectory,
      String addDirectory,
      boolean dropFifos) {
    if (maxTotalBytes <= 0) {
      throw new IllegalArgumentException("maxTotalBytes must be positive: " + maxTotalBytes);
    }
    this.maxTotalBytes = maxTotalBytes;
    this.absoluteRoot = absoluteRoot;
    this.stripDirectory = stripDirectory;
    this.addDirectory = addDirectory;
    this.dropFifos = dropFifos;
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
    Walk walk = new Walk();
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
      Kind kind = kindOf(entry);
      if (kind == Kind.FIFO) {
        if (!dropFifos) {
          throw new UnsafeArchiveException("entry '" + raw + "' is a FIFO; refusing special files");
        }
        dropped++;
        continue;
      }
      List<String> path = walk.entryPath(strip(raw, raw), raw);
      String joined = String.join("/", path);
      if (path.isEmpty() && kind != Kind.DIRECTORY) {
        throw new UnsafeArchiveException(
            "entry '" + raw + "' names the archive root but is not a directory");
      }
      long size = 0;
      if (kind == Kind.FILE) {
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
          String name = path.isEmpty() ? outputName("") + "/" : outputName(joined) + "/";
          copy = new TarArchiveEntry(name, TarConstants.LF_DIR);
        }
        case SYMLINK -> {
          String target = entry.getLinkName();
          walk.checkSymlink(path, target, raw);
          copy = new TarArchiveEntry(outputName(joined), TarConstants.LF_SYMLINK);
          copy.setLinkName(target);
        }
        case HARDLINK -> {
          List<String> target = walk.hardLinkTarget(entry.getLinkName(), raw);
          copy = new TarArchiveEntry(outputName(joined), TarConstants.LF_LINK);
          copy.setLinkName(outputName(String.join("/", target)));
        }
        case FILE -> {
          copy = new TarArchiveEntry(outputName(joined), TarConstants.LF_NORMAL);
          copy.setSize(size);
        }
        default -> throw new IllegalStateException("unhandled kind " + kind);
      }
      copyMetadata(entry, copy);
      tarOut.putArchiveEntry(copy);
      if (kind == Kind.FILE) {
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
      walk.record(path, kind == Kind.SYMLINK ? entry.getLinkName() : null);
      entries++;
      progress.accept(copied);
    }
    walk.checkAllSymlinks();
    tarOut.finish();
    sink.flush();
    return new Summary(entries, copied, dropped);
  }

  private enum Kind {
    FILE,
    DIRECTORY,
    SYMLINK,
    HARDLINK,
    FIFO
  }

  private static Kind kindOf(TarArchiveEntry entry) throws UnsafeArchiveException {
    String name = entry.getName();
    if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      throw new UnsafeArchiveException(
          "entry '" + name + "' is a device file; refusing special files");
    }
    if (entry.isFIFO()) {
      return Kind.FIFO;
    }
    if (entry.isSparse()) {
      throw new UnsafeArchiveException("entry '" + name + "' is a sparse file; not supported");
    }
    if (entry.isSymbolicLink()) {
      return Kind.SYMLINK;
    }
    if (entry.isLink()) {
      return Kind.HARDLINK;
    }
    if (entry.isDirectory()) {
      return Kind.DIRECTORY;
    }
    byte flag = entry.getLinkFlag();
    if (flag == TarConstants.LF_NORMAL
        || flag == TarConstants.LF_OLDNORM
        || flag == TarConstants.LF_CONTIG) {
      return Kind.FILE;
    }
    throw new UnsafeArchiveException(
        "entry '" + name + "' has unsupported type '" + (char) flag + "'");
  }

  private static void copyMetadata(TarArchiveEntry from, TarArchiveEntry to) {
    to.setMode(from.getMode());
    to.setModTime(from.getLastModifiedTime());
    FileTime accessed = from.getLastAccessTime();
    if (accessed != null) {
      to.setLastAccessTime(accessed);
    }
    to.setUserId(from.getLongUserId());
    to.setGroupId(from.getLongGroupId());
    to.setUserName(from.getUserName() == null ? "" : from.getUserName());
    to.setGroupName(from.getGroupName() == null ? "" : from.getGroupName());
    for (Map.Entry<String, String> header : from.getExtraPaxHeaders().entrySet()) {
      // Extended attributes are data (capabilities, user.* tags); other unknown records are not
      // needed to recreate the file and are dropped rather than passed on unexamined.
      String key = header.getKey();
      if (key.startsWith("SCHILY.xattr.") || key.startsWith("LIBARCHIVE.xattr.")) {
        to.addPaxHeader(key, header.getValue());
      }
    }
  }

  /** A checked path as written out: {@code .} for the root unless a directory is added. */
  private String outputName(String path) {
    if (addDirectory == null) {
      return path.isEmpty() ? "." : path;
    }
    return path.isEmpty() ? addDirectory : addDirectory + "/" + path;
  }

  private String strip(String name, String raw) throws UnsafeArchiveException {
    if (stripDirectory == null) {
      return name;
    }
    if (name.equals(stripDirectory) || name.equals(stripDirectory + "/")) {
      return "";
    }
    if (name.startsWith(stripDirectory + "/")) {
      return name.substring(stripDirectory.length() + 1);
    }
    throw new UnsafeArchiveException(
        "entry '" + raw + "' is not under the exported directory '" + stripDirectory + "/'");
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

  /** The archive's symlinks so far, and the path rules that depend on them. */
  private final class Walk {
    private final Map<String, String> symlinks = new HashMap<>();

    /**
     * Normalises an entry name to components under the root. Traversing a symlink of the archive is
     * refused: extraction would follow it, and Docker's own archives never need it.
     */
    List<String> entryPath(String name, String raw) throws UnsafeArchiveException {
      if (name.startsWith("/")) {
        throw new UnsafeArchiveException("entry '" + raw + "' has an absolute path");
      }
      String[] parts = name.split("/");
      int last = -1;
      for (int i = 0; i < parts.length; i++) {
        if (!parts[i].isEmpty() && !parts[i].equals(".")) {
          last = i;
        }
      }
      List<String> stack = new ArrayList<>();
      for (int i = 0; i <= last; i++) {
        String part = parts[i];
        if (part.isEmpty() || part.equals(".")) {
          continue;
        }
        if (part.equals("..")) {
          if (stack.isEmpty()) {
            throw new UnsafeArchiveException("entry '" + raw + "' leaves the archive root");
          }
          stack.remove(stack.size() - 1);
          continue;
        }
        stack.add(part);
        if (i < last) {
          String through = String.join("/", stack);
          if (symlinks.containsKey(through)) {
            throw new UnsafeArchiveException(
                "entry '" + raw + "' would be written through symlink '" + through + "'");
          }
        }
      }
      return stack;
    }

    List<String> hardLinkTarget(String target, String raw) throws UnsafeArchiveException {
      if (target == null || target.isEmpty()) {
        throw new UnsafeArchiveException("hard link '" + raw + "' has no target");
      }
      if (target.startsWith("/")) {
        throw new UnsafeArchiveException(
            "hard link '" + raw + "' -> '" + target + "' points outside the data path");
      }
      List<String> path;
      try {
        path = entryPath(strip(target, target), target);
      } catch (UnsafeArchiveException e) {
        throw new UnsafeArchiveException(
            "hard link '" + raw + "' -> '" + target + "' is refused: " + e.getMessage());
      }
      if (path.isEmpty()) {
        throw new UnsafeArchiveException("hard link '" + raw + "' points at the archive root");
      }
      return path;
    }

    void checkSymlink(List<String> path, String target, String raw) throws UnsafeArchiveException {
      if (target == null || target.isEmpty()) {
        throw new UnsafeArchiveException("symlink '" + raw + "' has an empty target");
      }
      if (symlinks.size() >= MAX_SYMLINKS && !symlinks.containsKey(String.join("/", path))) {
        throw new UnsafeArchiveException("archive holds more than " + MAX_SYMLINKS + " symlinks");
      }
      resolve(
          path.subList(0, path.size() - 1),
          target,
          new int[] {0},
          "symlink '" + raw + "' -> '" + target + "'");
    }

    /** A later entry of the same name replaces the earlier one, as extraction would. */
    void record(List<String> path, String symlinkTarget) {
      String key = String.join("/", path);
      if (symlinkTarget == null) {
        symlinks.remove(key);
      } else {
        symlinks.put(key, symlinkTarget);
      }
    }

    /** Re-checks every symlink now that all of them are known: chains can only be judged whole. */
    void checkAllSymlinks() throws UnsafeArchiveException {
      for (Map.Entry<String, String> link : symlinks.entrySet()) {
        List<String> path = List.of(link.getKey().split("/"));
        resolve(
            path.subList(0, path.size() - 1),
            link.getValue(),
            new int[] {0},
            "symlink '" + link.getKey() + "' -> '" + link.getValue() + "'");
      }
    }

    /**
     * Follows {@code target} from directory {@code base} through the known symlinks, failing as
     * soon as it steps above the root. Returns null for a chain too long to resolve, which the
     * kernel refuses too (ELOOP), so it reaches nothing.
     */
    private List<String> resolve(List<String> base, String target, int[] hops, String what)
        throws UnsafeArchiveException {
      List<String> stack = new ArrayList<>(base);
      String rest = target;
      if (target.startsWith("/")) {
        if (absoluteRoot != null
            && (target.equals(absoluteRoot) || target.startsWith(absoluteRoot + "/"))) {
          stack.clear();
          rest = target.substring(absoluteRoot.length());
        } else {
          throw new UnsafeArchiveException(what + " points outside the data path");
        }
      }
      for (String part : rest.split("/")) {
        if (part.isEmpty() || part.equals(".")) {
          continue;
        }
        if (part.equals("..")) {
          if (stack.isEmpty()) {
            throw new UnsafeArchiveException(what + " leaves the data path");
          }
          stack.remove(stack.size() - 1);
          continue;
        }
        stack.add(part);
        String link = symlinks.get(String.join("/", stack));
        if (link != null) {
          if (++hops[0] > MAX_SYMLINK_HOPS) {
            return null;
          }
          stack.remove(stack.size() - 1);
          List<String> resolved = resolve(stack, link, hops, what);
          if (resolved == null) {
            return null;
          }
          stack = new ArrayList<>(resolved);
        }
      }
      return stack;
    }
  }

  /** Remembers a failure of the underlying stream so it is not mistaken for a malformed tar. */
  private static final class RecordingInput extends FilterInputStream {
    IOException failure;

    RecordingInput(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      try {
        return super.read();
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      try {
        return super.read(b, off, len);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public long skip(long n) throws IOException {
      try {
        return super.skip(n);
      } catch (IOException e) {
        failure = e;
        throw e;
      }
    }

    @Override
    public void close() {
      // The caller owns the stream.
    }
  }

  /**
   * Leaves the caller's stream open, and passes block writes straight through (FilterOutputStream's
   * default writes byte by byte).
   */
  private static final class KeepOpenOutput extends FilterOutputStream {
    KeepOpenOutput(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
