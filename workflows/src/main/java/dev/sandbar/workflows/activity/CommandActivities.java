package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutput;
import dev.sandbar.workflows.model.RunCommand;
import dev.sandbar.workflows.model.StartCommand;
import io.temporal.activity.ActivityInterface;

/**
 * Commands inside a sandbox's container, on the sandbox's host queue. A command's state lives in
 * files in the container ({@link CommandRef#taskDir()}): its process-group id, its output and its
 * exit code. That is what makes every method here safe to retry on another attempt or worker.
 */
@ActivityInterface
public interface CommandActivities {

  /**
   * Launches the command detached under the wrapper. Idempotent: the wrapper creates the task
   * directory atomically and exits at once if it exists, so a retry never starts a second copy.
   * {@code SANDBOX_NOT_RUNNING} if the container is not running.
   */
  void startCommand(StartCommand command);

  /**
   * Waits for the command, heartbeating the output size. Returns when the exit code is written,
   * when the process is gone without one, or (once) when it looks stalled on a prompt. A retry
   * after a worker crash or a broken Docker stream re-attaches through the task's files. When
   * cancelled (the task is killed) it kills the whole process group before it gives up.
   */
  CommandOutcome awaitCommand(AwaitCommand request);

  /**
   * {@link #startCommand} and {@link #awaitCommand} in one: starts the command under the wrapper
   * and waits for it, a short command with a single exec. A retry (after a worker crash, a broken
   * stream or a heartbeat timeout) finds the command started by the wrapper's guard and only waits
   * for it again: the command never runs twice. Start failures are those of {@link #startCommand}.
   */
  CommandOutcome runCommand(RunCommand request);

  /** Kills the command's process group (TERM, then KILL). A finished command is left alone. */
  void killCommand(CommandRef ref);

  /** Reads a slice of the command's combined output log. */
  OutputChunk readOutput(ReadOutput request);
}
