package dev.sandbar.activities.container;

import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.StartCommand;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Starts a command under the wrapper and waits for it in the container with one exec ({@code
 * run.sh}): a command that ends within {@link #IN_CONTAINER_WAIT} is answered with its outcome from
 * that same exec, one that runs on is left to {@link CommandWait}. Retrying is safe for the reason
 * starting is: the wrapper's guard makes a second start a no-op, and the retry waits for the first.
 */
record CommandLauncher(DockerExec exec, OutcomeCollector outcomes, TaskOutputCap outputCap) {

  /**
   * How long the exec waits in the container for the command's end. Short commands (most of an
   * agent's) end within it; the whole exec stays well inside the waiting activity's heartbeat
   * timeout even with the pid wait before it.
   */
  static final Duration IN_CONTAINER_WAIT = Duration.ofSeconds(1);

  /** Exit code of a {@code docker exec} that the runtime could not start (e.g. a missing cwd). */
  private static final long EXEC_NOT_STARTED = 126;

  /**
   * Starts the command (or finds it started by an earlier attempt) and answers its outcome if it
   * ended within {@link #IN_CONTAINER_WAIT}, empty if it still runs.
   *
   * @throws ContainerUnavailable when the container is gone or not running
   */
  Optional<CommandOutcome> launch(String container, StartCommand request, int maxStreamBytes) {
    CommandRef ref = request.ref();
    List<String> env = new ArrayList<>();
    if (request.env() != null) {
      request.env().forEach((k, v) -> env.add(k + "=" + (v == null ? "" : v)));
    }
    DockerExec.Result out =
        exec.run(
            container,
            env,
            request.cwd(),
            DockerExec.HEADER_BYTES + 2L * maxStreamBytes + OutcomeCollector.OUTPUT_TAIL_BYTES,
            ContainerScripts.RUN,
            ContainerScripts.WRAPPER,
            ref.taskDir(),
            request.command(),
            Long.toString(outputCap.logBytes()),
            Long.toString(outputCap.streamBytes()),
            request.stdin() ? "1" : "0",
            Long.toString(IN_CONTAINER_WAIT.toMillis()),
            Integer.toString(maxStreamBytes),
            Integer.toString(OutcomeCollector.OUTPUT_TAIL_BYTES));
    byte[] bytes = out.stdout();
    String first = firstWord(bytes);
    switch (first) {
      case "running":
        return Optional.empty();
      case "nopid":
        throw DockerFailures.transientFailure(
            "task " + ref.taskId() + " in " + container + " wrote no pid in time", null);
      case "failed":
        throw setUpFailed(container, ref, new String(bytes, StandardCharsets.US_ASCII).trim());
      case "ended":
        ScriptOutput header = ScriptOutput.parse(bytes, 6);
        int exitCode = (int) header.number(1);
        return Optional.of(
            outcomes.parse(
                container,
                ref,
                CommandOutcome.State.EXITED,
                exitCode,
                maxStreamBytes,
                bytes,
                header,
                2));
      default:
        if (out.exitCode() == EXEC_NOT_STARTED) {
          throw DockerExec.rejected(
              new IllegalArgumentException(
                  (new String(bytes, StandardCharsets.UTF_8) + out.stderrText()).trim()));
        }
        throw DockerFailures.transientFailure(
            "unexpected output starting task " + ref.taskId() + " in " + container + ": " + first,
            null);
    }
  }

  /** The wrapper exited before it could start the command ({@code detail} says how). */
  static RuntimeException setUpFailed(String container, CommandRef ref, String detail) {
    return DockerFailures.permanent(
        ErrorType.INVALID_STATE,
        "the command wrapper could not set up "
            + ref.taskDir()
            + " in "
            + container
            + " ("
            + detail
            + "): is the container's root file system writable?");
  }

  private static String firstWord(byte[] bytes) {
    int end = 0;
    while (end < bytes.length && end < 16 && bytes[end] != ' ' && bytes[end] != '\n') {
      end++;
    }
    return new String(bytes, 0, end, StandardCharsets.US_ASCII);
  }
}
