package dev.sandbar.activities.container;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.SequenceInputStream;
import java.io.UncheckedIOException;
import java.util.Collections;
import java.util.Date;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * A tar of exactly one regular file, produced as a stream while the file's bytes arrive: header,
 * the bytes, padding, end-of-archive. What an upload hands to Docker's extract call, so a file of
 * any size passes with one buffer's worth in memory. It holds one entry whose name is a base name
 * (no separator, no {@code ..}) and nothing else, so it meets the restore rules ({@code TarSafety})
 * by construction: no path outside the target directory, no link, no special file.
 */
final class SingleFileTar {

  private static final int RECORD = 512;

  private SingleFileTar() {}

  /** The file's metadata as the header records it. */
  record Header(String name, long size, int mode, long uid, long gid, long mtimeMillis) {
    Header {
      if (name.isEmpty() || name.contains("/") || name.equals("..") || name.equals(".")) {
        throw new IllegalArgumentException("not a base name: " + name);
      }
    }
  }

  /**
   * The tar, reading {@code content} for the file's bytes: exactly {@code header.size()} of them,
   * failing with an {@link EOFException} if it ends sooner.
   */
  static InputStream of(Header header, InputStream content) {
    long padding = (RECORD - header.size() % RECORD) % RECORD;
    return new SequenceInputStream(
        Collections.enumeration(
            List.of(
                new ByteArrayInputStream(headerBytes(header)),
                new Exactly(content, header.size()),
                new ByteArrayInputStream(new byte[(int) padding + 2 * RECORD]))));
  }

  private static byte[] headerBytes(Header header) {
    TarArchiveEntry entry = new TarArchiveEntry(header.name());
    entry.setSize(header.size());
    entry.setMode(0100000 | (header.mode() & 07777));
    entry.setUserId(header.uid());
    entry.setGroupId(header.gid());
    entry.setModTime(new Date(header.mtimeMillis()));
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    // One record per block, so the header (with a PAX record for a long or non-ASCII name) is
    // written through at once and the stream is dropped before any data would follow.
    @SuppressWarnings("resource")
    TarArchiveOutputStream tar = new TarArchiveOutputStream(out, RECORD);
    tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
    tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
    tar.setAddPaxHeadersForNonAsciiNames(true);
    try {
      tar.putArchiveEntry(entry);
      tar.flush();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }

  /**
   * Exactly {@code size} bytes of the wrapped stream: an early end is an error, extra is unread.
   */
  private static final class Exactly extends FilterInputStream {
    private long left;

    Exactly(InputStream in, long size) {
      super(in);
      this.left = size;
    }

    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      if (left == 0) {
        return -1;
      }
      int n = in.read(buffer, offset, (int) Math.min(length, left));
      if (n < 0) {
        throw new EOFException("the upload ended " + left + " bytes before its declared length");
      }
      left -= n;
      return n;
    }

    @Override
    public void close() {
      // The caller owns the request body.
    }
  }
}
