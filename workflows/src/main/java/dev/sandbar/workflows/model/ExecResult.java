package dev.sandbar.workflows.model;

/**
 * How a command ended.
 *
 * @param exitCode null when the command never reported one (killed, timed out, lost)
 * @param truncated true when stdout or stderr was longer than the cap and was cut
 * @param outputTail the last few KiB of the combined output
 */
public record ExecResult(
    String taskId,
    TaskStatus status,
    Integer exitCode,
    String stdout,
    String stderr,
    boolean truncated,
    String outputTail,
    long outputBytes,
    long startedAtMs,
    long endedAtMs,
    boolean stalled,
    String error) {

  public long durationMs() {
    return Math.max(0, endedAtMs - startedAtMs);
  }
}
