package dev.sandbar.activities.container;

import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ApplicationFailure;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;

/**
 * The one gate every byte Sandbar reads out of a container passes: at most {@code maxBytes}, before
 * a deadline. A sandbox controls what its container answers (a replaced binary, a file that never
 * ends, a process that never exits), so without this gate one sandbox could make the worker that
 * serves every tenant of its host collect gigabytes or wait for ever.
 *
 * <p>Going over either limit fails that one read with a permanent {@link
 * ErrorType#CONTAINER_READ_LIMIT}: Sandbar's own scripts never come near the limits, so asking
 * again would only give the same answer. One instance per read; {@link #count} is thread-safe
 * because Docker delivers exec output on its own thread.
 */
final class BoundedRead {

  /** How long one read may take: Sandbar's scripts read a few files and finish in milliseconds. */
  static final Duration DEFAULT_TIME_LIMIT = Duration.ofSeconds(30);

  private final String what;
  private final long maxBytes;
  private final Duration timeLimit;
  private final long deadlineNanos;
  private long bytes;

  /**
   * @param what names the read in the error ("probe of task t in sandbox-x")
   */
  BoundedRead(String what, long maxBytes, Duration timeLimit) {
    if (maxBytes < 0) {
      throw new IllegalArgumentException("maxBytes must not be negative: " + maxBytes);
    }
    this.what = what;
    this.maxBytes = maxBytes;
    this.timeLimit = timeLimit;
    this.deadlineNanos = System.nanoTime() + timeLimit.toNanos();
  }

  BoundedRead(String what, long maxBytes) {
    this(what, maxBytes, DEFAULT_TIME_LIMIT);
  }

  /**
   * Counts {@code n} more bytes read.
   *
   * @throws ApplicationFailure over the size limit or past the deadline
   */
  synchronized void count(long n) {
    bytes += n;
    if (bytes > maxBytes) {
      throw tooLarge();
    }
    checkTime();
  }

  /** Fails once the deadline has passed. */
  void checkTime() {
    if (remainingMillis() <= 0) {
      throw tooSlow();
    }
  }

  /** Milliseconds left before the deadline, at least 0. */
  long remainingMillis() {
    return Math.max(0, (deadlineNanos - System.nanoTime()) / 1_000_000);
  }

  synchronized long bytes() {
    return bytes;
  }

  ApplicationFailure tooLarge() {
    return DockerFailures.permanent(
        ErrorType.CONTAINER_READ_LIMIT,
        what
            + " answered more than "
            + maxBytes
            + " bytes; Sandbar's scripts never print that much, so the container is not what"
            + " Sandbar set up");
  }

  ApplicationFailure tooSlow() {
    return DockerFailures.permanent(
        ErrorType.CONTAINER_READ_LIMIT,
        what + " did not finish within " + timeLimit.toSeconds() + " s");
  }

  /**
   * {@code in}, counted against this read. The limits surface as the {@link ApplicationFailure}
   * itself (unchecked), so callers that turn {@code IOException}s into transient failures cannot
   * hide them.
   */
  InputStream wrap(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        checkTime();
        int b = super.read();
        if (b >= 0) {
          count(1);
        }
        return b;
      }

      @Override
      public int read(byte[] buffer, int offset, int length) throws IOException {
        checkTime();
        int n = super.read(buffer, offset, length);
        if (n > 0) {
          count(n);
        }
        return n;
      }

      @Override
      public long skip(long n) throws IOException {
        // Through read, so skipped bytes are counted and timed like any other.
        byte[] scratch = new byte[(int) Math.min(8192, Math.max(1, n))];
        long skipped = 0;
        while (skipped < n) {
          int r = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
          if (r < 0) {
            break;
          }
          skipped += r;
        }
        return skipped;
      }
    };
  }
}
