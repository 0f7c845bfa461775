package dev.sandbar.activities.archive;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * A bounded in-memory pipe between one writing and one reading thread, where either side can stop
 * the other: {@link #abort} makes the reader fail at once (so an HTTP upload reading it breaks off
 * instead of ending cleanly on a half-sent tar), and {@link #closeReader} makes the writer fail at
 * once. {@link java.io.PipedInputStream} does neither: a reader waiting on a live writer never
 * notices a close.
 */
public final class StreamPipe {

  private final ReentrantLock lock = new ReentrantLock();
  private final Condition readable = lock.newCondition();
  private final Condition writable = lock.newCondition();
  private final byte[] buffer;
  private int start;
  private int count;
  private boolean writerClosed;
  private Throwable abortCause;
  private boolean readerClosed;

  private final InputStream source = new Source();
  private final OutputStream sink = new Sink();

  public StreamPipe(int capacityBytes) {
    if (capacityBytes <= 0) {
      throw new IllegalArgumentException("capacity must be positive: " + capacityBytes);
    }
    this.buffer = new byte[capacityBytes];
  }

  /** The reading end; {@code close()} on it is {@link #closeReader}. */
  public InputStream source() {
    return source;
  }

  /** The writing end; {@code close()} on it ends the stream cleanly (the reader sees EOF). */
  public OutputStream sink() {
    return sink;
  }

  /** Writer side: the reader's next (or current) read fails with {@code cause}, data or not. */
  public void abort(Throwable cause) {
    lock.lock();
    try {
      if (abortCause == null) {
        abortCause = cause == null ? new IOException("aborted") : cause;
      }
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Reader side: the writer's next (or current) write fails; nothing more will be read. */
  public void closeReader() {
    lock.lock();
    try {
      readerClosed = true;
      readable.signalAll();
      writable.signalAll();
    } finally {
      lock.unlock();
    }
  }

  private final class Source extends InputStream {
    @Override
    public int read() throws IOException {
      byte[] one = new byte[1];
      int n = read(one, 0, 1);
      return n < 0 ? -1 : one[0] & 0xff;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      if (len == 0) {
        return 0;
      }
      lock.lock();
      try {
        while (true) {
          if (abortCause != null) {
            throw new IOException("stream aborted by its writer: " + abortCause, abortCause);
          }
          if (readerClosed) {
            throw new IOException("stream closed by its reader");
          }
          if (count > 0) {
            break;
          }
          if (writerClosed) {
            return -1;
          }
          await(readable);
        }
        int n = Math.min(len, Math.min(count, buffer.length - start));
        System.arraycopy(buffer, start, b, off, n);
        start = (start + n) % buffer.length;
        count -= n;
        writable.signalAll();
        return n;
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      closeReader();
    }
  }

  private final class Sink extends OutputStream {
    @Override
    public void write(int b) throws IOException {
      write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      lock.lock();
      try {
        while (len > 0) {
          while (true) {
            if (readerClosed) {
              throw new IOException("stream closed by its reader");
            }
            if (abortCause != null || writerClosed) {
              throw new IOException("stream already ended by its writer");
            }
            if (count < buffer.length) {
              break;
            }
            await(writable);
          }
          int end = (start + count) % buffer.length;
          int n = Math.min(len, Math.min(buffer.length - count, buffer.length - end));
          System.arraycopy(b, off, buffer, end, n);
          count += n;
          off += n;
          len -= n;
          readable.signalAll();
        }
      } finally {
        lock.unlock();
      }
    }

    @Override
    public void close() {
      lock.lock();
      try {
        writerClosed = true;
        readable.signalAll();
      } finally {
        lock.unlock();
      }
    }
  }

  private static void await(Condition condition) throws InterruptedIOException {
    try {
      condition.await();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      InterruptedIOException interrupted = new InterruptedIOException("interrupted on a pipe");
      interrupted.initCause(e);
      throw interrupted;
    }
  }
}
