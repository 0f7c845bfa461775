package dev.sandbar.activities.container;

/**
 * How much of a command's output the wrapper stores in the container: {@code totalBytes} for the
 * task's three files together. The interleaved log ({@code output.log}, what output reads page
 * through) gets all but two stream shares; {@code stdout} and {@code stderr} keep only their first
 * {@link #streamBytes()} each, as a result never shows more of them than its own, smaller cap.
 * Beyond its share a file stops growing (the command keeps running, its output is read and dropped)
 * and the task is marked truncated.
 *
 * @param totalBytes at least {@link #MIN_BYTES}
 */
public record TaskOutputCap(long totalBytes) {

  /** The default: 64 MiB per task. */
  public static final long DEFAULT_BYTES = 64L * 1024 * 1024;

  /** Smallest cap accepted: enough for a result's streams and a log to page through. */
  public static final long MIN_BYTES = 64L * 1024;

  /** Largest share of the cap stdout and stderr keep each; results show at most 256 KiB. */
  static final long MAX_STREAM_BYTES = 1024L * 1024;

  public TaskOutputCap {
    if (totalBytes < MIN_BYTES) {
      throw new IllegalArgumentException(
          "the task output cap must be at least " + MIN_BYTES + " bytes, got " + totalBytes);
    }
  }

  public static TaskOutputCap defaults() {
    return new TaskOutputCap(DEFAULT_BYTES);
  }

  /** What {@code stdout} and {@code stderr} each keep. */
  long streamBytes() {
    return Math.min(MAX_STREAM_BYTES, totalBytes / 4);
  }

  /** What {@code output.log} keeps. */
  long logBytes() {
    return totalBytes - 2 * streamBytes();
  }
}
