package dev.sandbar.activities.archive;

import java.io.IOException;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.zip.ZipEncoding;

/**
 * A tar entry that writes a long name or link name into its ustar header already cut short.
 *
 * <p>A name of more than 100 characters travels whole in the entry's PAX header (the writer runs
 * with {@code LONGFILE_POSIX}), and readers take it from there; the ustar field only needs a
 * prefix. commons-compress finds that prefix by re-encoding the name one character shorter at a
 * time, which costs the square of its length: milliseconds for a 4,000-character symlink target, so
 * a data path full of them made an export burn minutes of CPU. Cutting the name before the header
 * is written makes that loop short.
 */
final class LongNameEntry extends TarArchiveEntry {

  /** Longest name the ustar fields take as they are (100 bytes). */
  private static final int USTAR_FIELD = 100;

  /** What the header keeps of a longer name: fits 100 bytes even at 3 UTF-8 bytes a character. */
  private static final int KEPT = 33;

  LongNameEntry(String name, byte linkFlag) {
    super(name, linkFlag);
  }

  @Override
  public void writeEntryHeader(byte[] outbuf, ZipEncoding encoding, boolean starMode)
      throws IOException {
    String name = getName();
    String link = getLinkName();
    boolean longName = name.length() > USTAR_FIELD;
    boolean longLink = link != null && link.length() > USTAR_FIELD;
    if (longName) {
      setName(name.substring(0, KEPT));
    }
    if (longLink) {
      setLinkName(link.substring(0, KEPT));
    }
    try {
      super.writeEntryHeader(outbuf, encoding, starMode);
    } finally {
      if (longName) {
        setName(name);
      }
      if (longLink) {
        setLinkName(link);
      }
    }
  }
}
