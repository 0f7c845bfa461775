package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.async.ResultCallback;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.command.InspectExecResponse;
import com.github.dockerjava.api.exception.BadRequestException;
import com.github.dockerjava.api.exception.ConflictException;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Frame;
import com.github.dockerjava.api.model.StreamType;
import dev.sandbar.workflows.model.ErrorType;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Docker exec plumbing: runs a short script in a container and collects its stdout, stderr and exit
 * code ({@link #run}), or starts a long one detached ({@link #startDetached}). Which Docker failure
 * means what is decided by {@link DockerFailures}.
 */
final class DockerExec {

  /** Bounds one short exec; they read a few files and finish in milliseconds. */
  static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

  /** Output of one short exec. */
  record Result(long exitCode, byte[] stdout, byte[] stderr) {

    /** stdout as ASCII, for scripts that print one word. */
    String stdoutText() {
      return new String(stdout, StandardCharsets.US_ASCII);
    }

    String stderrText() {
      return new String(stderr, StandardCharsets.UTF_8);
    }
  }

  private final DockerClient docker;

  DockerExec(DockerClient docker) {
    this.docker = docker;
  }

  /**
   * Runs {@code sh -c script sandbar <args...>} in the container and collects its output.
   *
   * @throws ContainerUnavailable when the container is gone or not running
   * @throws DockerOperationException for anything else Docker answered, or a script that failed
   */
  Result run(String container, String script, String... args) {
    List<String> cmd = new ArrayList<>(List.of("sh", "-c", script, "sandbar"));
    cmd.addAll(List.of(args));
    String execId;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    try {
      execId =
          docker
              .execCreateCmd(container)
              .withCmd(cmd.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true)
              .exec()
              .getId();
      try (var callback =
          docker
              .execStartCmd(execId)
              .exec(
                  new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                      (frame.getStreamType() == StreamType.STDERR ? stderr : stdout)
                          .writeBytes(frame.getPayload());
                    }
                  })) {
        if (!callback.awaitCompletion(EXEC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
          throw DockerFailures.transientFailure(
              "exec in " + container + " did not finish within " + EXEC_TIMEOUT.toSeconds() + " s",
              null);
        }
      }
    } catch (InterruptedException e) {
      throw DockerFailures.interrupted(e);
    } catch (IOException e) {
      throw DockerFailures.transientFailure("exec stream in " + container + " failed", e);
    } catch (RuntimeException e) {
      throw DockerFailures.ofExec(container, "exec in " + container + " failed", e);
    }
    return new Result(exitCodeOf(container, execId), stdout.toByteArray(), stderr.toByteArray());
  }

  /**
   * Starts {@code cmd} detached, with nothing attached, and returns the exec's id once Docker has
   * started it.
   *
   * @param env {@code NAME=value} entries; none when empty
   * @param cwd the working directory; the image's when null or blank
   */
  String startDetached(String container, List<String> cmd, List<String> env, String cwd) {
    try {
      var create =
          docker
              .execCreateCmd(container)
              .withCmd(cmd.toArray(String[]::new))
              .withAttachStdin(false)
              .withAttachStdout(false)
              .withAttachStderr(false)
              .withTty(false);
      if (!env.isEmpty()) {
        create.withEnv(env);
      }
      if (cwd != null && !cwd.isBlank()) {
        create.withWorkingDir(cwd);
      }
      String execId = create.exec().getId();
      try (var started =
          docker.execStartCmd(execId).withDetach(true).exec(new ResultCallback.Adapter<>())) {
        started.awaitCompletion(EXEC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
      return execId;
    } catch (NotFoundException e) {
      throw DockerFailures.containerGone(container, e);
    } catch (ConflictException e) {
      throw DockerFailures.notRunning(container, e);
    } catch (BadRequestException e) {
      // The runtime refused the exec itself, e.g. a working directory that does not exist.
      throw DockerFailures.permanent(
          ErrorType.INVALID_ARGUMENT, "Docker rejected the command's exec: " + e.getMessage(), e);
    } catch (InterruptedException e) {
      throw DockerFailures.interrupted(e);
    } catch (IOException e) {
      throw DockerFailures.transientFailure("exec stream in " + container + " failed", e);
    } catch (RuntimeException e) {
      throw DockerFailures.transientFailure(
          "starting the command in " + container + " failed: " + e.getMessage(), e);
    }
  }

  /** Docker's view of an exec started earlier. */
  InspectExecResponse inspect(String execId) {
    return docker.inspectExecCmd(execId).exec();
  }

  /** Whether the container exists and is paused (its processes frozen, not gone). */
  boolean isPaused(String container) {
    try {
      InspectContainerResponse.ContainerState state =
          docker.inspectContainerCmd(container).exec().getState();
      return state != null && Boolean.TRUE.equals(state.getPaused());
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw DockerFailures.transientFailure("inspecting " + container + " failed", e);
    }
  }

  /** The exec's exit code; Docker may report it a moment after the stream has closed. */
  private long exitCodeOf(String container, String execId) {
    for (int i = 0; i < 50; i++) {
      InspectExecResponse inspect;
      try {
        inspect = docker.inspectExecCmd(execId).exec();
      } catch (NotFoundException e) {
        throw new ContainerUnavailable(true, container, e);
      } catch (RuntimeException e) {
        throw DockerFailures.transientFailure("inspecting an exec in " + container + " failed", e);
      }
      if (!Boolean.TRUE.equals(inspect.isRunning()) && inspect.getExitCodeLong() != null) {
        return inspect.getExitCodeLong();
      }
      pause(20);
    }
    throw DockerFailures.transientFailure("exec in " + container + " reported no exit code", null);
  }

  /** Sleeps, handing an interruption to Temporal. */
  static void pause(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw DockerFailures.interrupted(e);
    }
  }
}
