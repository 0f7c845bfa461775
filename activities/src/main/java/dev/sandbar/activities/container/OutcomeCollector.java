package dev.sandbar.activities.container;

import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;

/**
 * Reads how a command ended into a {@link CommandOutcome}: its streams (each capped), the end of
 * its log and whether the wrapper stopped storing output at the task's {@link TaskOutputCap}, with
 * one exec while the container runs, through the archive API once it has stopped.
 */
record OutcomeCollector(DockerExec exec, ContainerFiles files) {

  /** How much of the log's end a finished command's outcome carries. */
  static final int OUTPUT_TAIL_BYTES = 4096;

  /**
   * Most bytes the tail takes in the outcome's payload: 4 KiB of text, or less of control bytes,
   * which take up to six bytes each there.
   */
  static final int OUTPUT_TAIL_PAYLOAD_BYTES = 8192;

  /** Reads the streams and the log's tail into an outcome. */
  CommandOutcome collect(
      String container,
      CommandRef ref,
      CommandOutcome.State state,
      Integer exitCode,
      int maxStreamBytes) {
    DockerExec.Result out;
    try {
      out =
          exec.run(
              container,
              DockerExec.HEADER_BYTES + 2L * maxStreamBytes + OUTPUT_TAIL_BYTES,
              ContainerScripts.COLLECT,
              ref.taskDir(),
              Integer.toString(maxStreamBytes),
              Integer.toString(OUTPUT_TAIL_BYTES));
    } catch (ContainerUnavailable e) {
      return collectArchived(container, ref, state, exitCode, maxStreamBytes);
    }
    byte[] bytes = out.stdout();
    return parse(
        container, ref, state, exitCode, maxStreamBytes, bytes, ScriptOutput.parse(bytes, 4), 0);
  }

  /**
   * The outcome from what {@code collect.sh} printed: its four header fields start at field {@code
   * first} of {@code header} (a script that printed more before them, like {@code run.sh}).
   */
  CommandOutcome parse(
      String container,
      CommandRef ref,
      CommandOutcome.State state,
      Integer exitCode,
      int maxStreamBytes,
      byte[] bytes,
      ScriptOutput header,
      int first) {
    long stdoutSize = header.number(first);
    long stderrSize = header.number(first + 1);
    long logSize = header.number(first + 2);
    boolean logCapped = header.flag(first + 3);
    int stdoutLen = (int) Math.min(stdoutSize, maxStreamBytes);
    int stderrLen = (int) Math.min(stderrSize, maxStreamBytes);
    int tailLen = (int) Math.min(logSize, OUTPUT_TAIL_BYTES);
    int at = header.bodyStart();
    if (bytes.length < at + stdoutLen + stderrLen + tailLen) {
      throw DockerFailures.transientFailure(
          "short read of task " + ref.taskId() + " output in " + container, null);
    }
    byte[] stdout = Arrays.copyOfRange(bytes, at, at + stdoutLen);
    byte[] stderr = Arrays.copyOfRange(bytes, at + stdoutLen, at + stdoutLen + stderrLen);
    byte[] tail =
        Arrays.copyOfRange(bytes, at + stdoutLen + stderrLen, at + stdoutLen + stderrLen + tailLen);
    return outcome(
        state,
        exitCode,
        maxStreamBytes,
        stdout,
        stdoutSize,
        stderr,
        stderrSize,
        tail,
        logSize,
        logCapped);
  }

  /** The same as {@link #collect}, for a container that is not running. */
  CommandOutcome collectArchived(
      String container,
      CommandRef ref,
      CommandOutcome.State state,
      Integer exitCode,
      int maxStreamBytes) {
    String dir = ref.taskDir();
    Optional<ContainerFiles.Slice> stdout =
        maxStreamBytes == 0
            ? Optional.empty()
            : files.read(container, dir + "/stdout", size -> 0, maxStreamBytes);
    Optional<ContainerFiles.Slice> stderr =
        maxStreamBytes == 0
            ? Optional.empty()
            : files.read(container, dir + "/stderr", size -> 0, maxStreamBytes);
    boolean logCapped = files.read(container, dir + "/truncated", size -> 0, 0).isPresent();
    Optional<ContainerFiles.Slice> tail =
        files.read(
            container,
            ref.outputFile(),
            size -> Math.max(0, size - OUTPUT_TAIL_BYTES),
            OUTPUT_TAIL_BYTES);
    return outcome(
        state,
        exitCode,
        maxStreamBytes,
        stdout.map(ContainerFiles.Slice::data).orElse(new byte[0]),
        stdout.map(ContainerFiles.Slice::size).orElse(0L),
        stderr.map(ContainerFiles.Slice::data).orElse(new byte[0]),
        stderr.map(ContainerFiles.Slice::size).orElse(0L),
        tail.map(ContainerFiles.Slice::data).orElse(new byte[0]),
        tail.map(ContainerFiles.Slice::size).orElse(0L),
        logCapped);
  }

  /** The exit code a stopped container's task recorded, if it recorded one. */
  Optional<Integer> recordedExit(String container, CommandRef ref) {
    return files
        .read(container, ref.taskDir() + "/exit", size -> 0, 64)
        .map(s -> new String(s.data(), StandardCharsets.US_ASCII).trim())
        .flatMap(OutcomeCollector::parseExit);
  }

  private static Optional<Integer> parseExit(String text) {
    try {
      return Optional.of(Integer.valueOf(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Builds the outcome with each stream's text capped at {@code maxStreamBytes} as the payload
   * encodes it (see {@link EncodedCap}): the raw cap alone lets control bytes grow a result past
   * Temporal's payload limit. A stream cut either way makes the outcome {@code truncated}.
   */
  private static CommandOutcome outcome(
      CommandOutcome.State state,
      Integer exitCode,
      int maxStreamBytes,
      byte[] stdout,
      long stdoutSize,
      byte[] stderr,
      long stderrSize,
      byte[] tail,
      long logSize,
      boolean logCapped) {
    String stdoutText = Utf8Cut.decodeHead(stdout, stdoutSize > stdout.length);
    String stderrText = Utf8Cut.decodeHead(stderr, stderrSize > stderr.length);
    String stdoutKept = EncodedCap.head(stdoutText, maxStreamBytes);
    String stderrKept = EncodedCap.head(stderrText, maxStreamBytes);
    boolean stdoutCut = stdoutSize > stdout.length || stdoutKept.length() < stdoutText.length();
    boolean stderrCut = stderrSize > stderr.length || stderrKept.length() < stderrText.length();
    // Truncated: the result's streams were cut at their cap, or the stored output at the task's.
    boolean truncated =
        state != CommandOutcome.State.STALLED && (stdoutCut || stderrCut || logCapped);
    return new CommandOutcome(
        state,
        exitCode,
        stdoutKept,
        stderrKept,
        truncated,
        EncodedCap.tail(Utf8Cut.decodeTail(tail, logSize > tail.length), OUTPUT_TAIL_PAYLOAD_BYTES),
        logSize);
  }
}
