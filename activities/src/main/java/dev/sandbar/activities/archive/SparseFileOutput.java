package dev.sandbar.activities.archive;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Writes a file the way {@code cp --sparse=always} does: a block of zeros aligned in the file is
 * skipped instead of written, which leaves a hole the file system does not allocate. A tar stream
 * carries a sparse file's holes as zeros (Docker's archive API has no sparse entries), so without
 * this a 10 GB sparse file in a sandbox took 10 GB of the host's disk as an archive. Readers see
 * the same bytes either way, so checksums and restores are unchanged.
 */
final class SparseFileOutput extends OutputStream {

  /** File system block size on every Linux file system Sandbar runs on; holes are whole blocks. */
  static final int BLOCK = 4096;

  private final FileChannel channel;
  private long position;

  SparseFileOutput(FileChannel channel) {
    this.channel = channel;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] bytes, int offset, int length) throws IOException {
    int end = offset + length;
    int runStart = offset;
    long runPosition = position;
    int i = offset;
    while (i < end) {
      int n = (int) Math.min(BLOCK - position % BLOCK, end - i);
      if (n == BLOCK && allZero(bytes, i, n)) {
        writeAt(bytes, runStart, i - runStart, runPosition);
        position += n;
        i += n;
        runStart = i;
        runPosition = position;
      } else {
        position += n;
        i += n;
      }
    }
    writeAt(bytes, runStart, i - runStart, runPosition);
  }

  /** Gives the file its full length when it ends in a hole; call once, after the last write. */
  void finish() throws IOException {
    if (channel.size() < position) {
      writeAt(new byte[1], 0, 1, position - 1);
    }
  }

  /** Bytes written so far, holes included. */
  long position() {
    return position;
  }

  private void writeAt(byte[] bytes, int offset, int length, long at) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
    long p = at;
    while (buffer.hasRemaining()) {
      p += channel.write(buffer, p);
    }
  }

  private static boolean allZero(byte[] bytes, int offset, int length) {
    for (int i = offset; i < offset + length; i++) {
      if (bytes[i] != 0) {
        return false;
      }
    }
    return true;
  }
}
