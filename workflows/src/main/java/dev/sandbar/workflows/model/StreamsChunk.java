package dev.sandbar.workflows.model;

/**
 * What a {@link ReadStreams} found: the new bytes of each stream (Base64, output may be binary) and
 * where each one's next read starts.
 *
 * @param stdoutSize stdout's size in the container when it was read
 * @param stderrSize stderr's size in the container when it was read
 * @param exitCode the exit code the wrapper recorded, or null while the command runs
 * @param truncated whether the wrapper stopped storing output at the task's cap
 * @param known false when the task's directory does not exist (removed, or the container was
 *     replaced)
 */
public record StreamsChunk(
    String stdout,
    String stderr,
    long stdoutNext,
    long stderrNext,
    long stdoutSize,
    long stderrSize,
    Integer exitCode,
    boolean truncated,
    boolean known) {

  /** Whether the command has ended and both streams have been read to their end. */
  public boolean drained() {
    return exitCode != null && stdoutNext >= stdoutSize && stderrNext >= stderrSize;
  }
}
