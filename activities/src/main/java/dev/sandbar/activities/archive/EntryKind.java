package dev.sandbar.activities.archive;

import java.nio.file.attribute.FileTime;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarConstants;

/** The tar entry types a copy passes on; every other type is refused when it is classified. */
enum EntryKind {
  FILE,
  DIRECTORY,
  SYMLINK,
  HARDLINK,
  FIFO;

  /**
   * @throws UnsafeArchiveException for devices, sparse files and unknown types
   */
  static EntryKind of(TarArchiveEntry entry) throws UnsafeArchiveException {
    String name = entry.getName();
    if (entry.isCharacterDevice() || entry.isBlockDevice()) {
      throw new UnsafeArchiveException(
          "entry '" + name + "' is a device file; refusing special files");
    }
    if (entry.isFIFO()) {
      return FIFO;
    }
    if (entry.isSparse()) {
      throw new UnsafeArchiveException("entry '" + name + "' is a sparse file; not supported");
    }
    if (entry.isSymbolicLink()) {
      return SYMLINK;
    }
    if (entry.isLink()) {
      return HARDLINK;
    }
    if (entry.isDirectory()) {
      return DIRECTORY;
    }
    byte flag = entry.getLinkFlag();
    if (flag == TarConstants.LF_NORMAL
        || flag == TarConstants.LF_OLDNORM
        || flag == TarConstants.LF_CONTIG) {
      return FILE;
    }
    throw new UnsafeArchiveException(
        "entry '" + name + "' has unsupported type '" + (char) flag + "'");
  }

  /** Copies what recreating the file needs: mode, times, owners and extended attributes. */
  static void copyMetadata(TarArchiveEntry from, TarArchiveEntry to) {
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
}
