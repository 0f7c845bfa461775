package dev.sandbar.activities.archive;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Hand-built tars, including hostile ones no real tool would write, for the archive tests here and
 * in the container package.
 */
public final class CraftedTars {

  /**
   * A harmless first entry: finding it extracted would prove a rejected archive wrote something.
   */
  public static final String CANARY = "canary";

  /** A mtime that no file made during a test has, so keeping it proves it was copied. */
  public static final Instant FIXED_MTIME = Instant.parse("2021-03-04T05:06:07Z");

  private CraftedTars() {}

  /** Builds a tar; {@link #bytes()} ends it properly, {@link #bytesWithHeaderOnly} does not. */
  public static final class Builder {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    private final TarArchiveOutputStream tar;

    Builder() {
      // One 512-byte record per block, so everything written so far is in `bytes` at once.
      tar = new TarArchiveOutputStream(bytes, 512);
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    }

    public Builder dir(String name, int mode) {
      return put(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"), mode, null, e -> {});
    }

    public Builder dir(String name, int mode, Consumer<TarArchiveEntry> tweak) {
      return put(new TarArchiveEntry(name.endsWith("/") ? name : name + "/"), mode, null, tweak);
    }

    public Builder file(String name, String content) {
      return file(name, content, 0644, e -> {});
    }

    public Builder file(String name, String content, int mode, Consumer<TarArchiveEntry> tweak) {
      byte[] data = content.getBytes(StandardCharsets.UTF_8);
      TarArchiveEntry entry = new TarArchiveEntry(name, true);
      entry.setSize(data.length);
      return put(entry, mode, data, tweak);
    }

    public Builder symlink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_SYMLINK, true);
      entry.setLinkName(target);
      return put(entry, 0777, null, e -> {});
    }

    public Builder hardLink(String name, String target) {
      TarArchiveEntry entry = new TarArchiveEntry(name, TarConstants.LF_LINK, true);
      entry.setLinkName(target);
      return put(entry, 0644, null, e -> {});
    }

    public Builder special(String name, byte type) {
      TarArchiveEntry entry = new TarArchiveEntry(name, type, true);
      entry.setDevMajor(1);
      entry.setDevMinor(3);
      return put(entry, 0666, null, e -> {});
    }

    private Builder put(
        TarArchiveEntry entry, int mode, byte[] data, Consumer<TarArchiveEntry> tweak) {
      entry.setMode(mode);
      entry.setModTime(FIXED_MTIME.toEpochMilli());
      tweak.accept(entry);
      try {
        tar.putArchiveEntry(entry);
        if (data != null) {
          tar.write(data);
        }
        tar.closeArchiveEntry();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return this;
    }

    /** The tar, properly ended. */
    public byte[] bytes() {
      try {
        tar.finish();
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      return bytes.toByteArray();
    }

    /** The entries so far, then a lone header for a file claiming {@code size} bytes; no data. */
    public byte[] bytesWithHeaderOnly(String name, long size) {
      TarArchiveEntry entry = new TarArchiveEntry(name);
      entry.setSize(size);
      entry.setModTime(FIXED_MTIME.toEpochMilli());
      byte[] header = new byte[512];
      entry.writeEntryHeader(header);
      bytes.writeBytes(header);
      return bytes.toByteArray();
    }
  }

  public static Builder tar() {
    return new Builder();
  }

  /** Archives a restore must refuse, by what is wrong with them; each starts with the canary. */
  public static Map<String, byte[]> unsafe() {
    Map<String, byte[]> tars = new LinkedHashMap<>();
    tars.put("entry ../escape", tar().file(CANARY, "x").file("../escape", "evil").bytes());
    tars.put("absolute entry /etc/evil", tar().file(CANARY, "x").file("/etc/evil", "evil").bytes());
    tars.put(
        "symlink to /etc then a file through it",
        tar().file(CANARY, "x").symlink("etc", "/etc").file("etc/evil", "evil").bytes());
    tars.put("symlink a -> ../../x", tar().file(CANARY, "x").symlink("a", "../../x").bytes());
    tars.put(
        "hard link to /etc/passwd",
        tar().file(CANARY, "x").hardLink("passwd", "/etc/passwd").bytes());
    tars.put(
        "character device", tar().file(CANARY, "x").special("null", TarConstants.LF_CHR).bytes());
    tars.put("header claiming 1 GB", tar().file(CANARY, "x").bytesWithHeaderOnly("big", 1L << 30));
    return tars;
  }
}
