package dev.sandbar.activities.container;

import dev.sandbar.workflows.model.CommandRef;
import java.time.Duration;

/** Ends a command's process group: TERM, a grace, then KILL (see {@code kill.sh}). */
final class CommandKiller {

  /** Grace between TERM and KILL. */
  static final Duration KILL_GRACE = Duration.ofSeconds(2);

  private final DockerExec exec;

  CommandKiller(DockerExec exec) {
    this.exec = exec;
  }

  /**
   * Kills the group; returns once nothing of it is left. A group that survives KILL is a transient
   * failure.
   *
   * @throws ContainerUnavailable when the container is gone or not running
   */
  void kill(String container, CommandRef ref) {
    DockerExec.Result out =
        exec.run(
            container,
            DockerExec.HEADER_BYTES,
            ContainerScripts.KILL,
            ref.taskDir(),
            Long.toString(KILL_GRACE.toMillis() / 50));
    if (out.exitCode() == 3) {
      throw DockerFailures.transientFailure(
          "task " + ref.taskId() + " in " + container + " survived SIGKILL", null);
    }
    if (out.exitCode() != 0) {
      throw DockerFailures.transientFailure(
          "killing task "
              + ref.taskId()
              + " in "
              + container
              + " failed (exit "
              + out.exitCode()
              + "): "
              + out.stderrText(),
          null);
    }
  }
}
