package dev.sandbar.activities.archive;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/** The wrappers a copy puts around the caller's streams. */
final class TarStreams {
  private TarStreams() {}

  /** Remembers a failure of the underlying stream so it is not mistaken for a malformed tar. */
  static final class RecordingInput extends FilterInputStream {
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
  static final class KeepOpenOutput extends FilterOutputStream {
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
