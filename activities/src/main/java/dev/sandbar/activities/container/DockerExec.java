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
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.WeakHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Docker exec plumbing: runs a short script in a container and collects its stdout, stderr and exit
 * code through a {@link BoundedRead} ({@link #run}), or starts a long one detached ({@link
 * #startDetached}). Which Docker failure means what is decided by {@link DockerFailures}.
 */
final class DockerExec {

  /**
   * What a script may print besides file contents: its header line, or an error message of the
   * shell. Each read adds the file bytes it asks for.
   */
  static final int HEADER_BYTES = 4096;

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

  /**
   * Attached execs ({@link #run}) at once per Docker client. docker-java reads each attached stream
   * on a platform thread of its own, started before the stream has a connection: past the client's
   * pool ({@link DockerClients#MAX_CONNECTIONS}) those threads queue for one, and at 200 background
   * commands, whose waits poll faster than a loaded daemon answers, hundreds of them piled up (a
   * worker of 700 MB RSS, 500 threads parked on the pool). Callers wait here instead, on their own
   * (virtual) threads. Half the pool, so the inspect that ends each exec always finds a connection.
   */
  static final int MAX_ATTACHED = DockerClients.MAX_CONNECTIONS / 2;

  private static final Logger log = LoggerFactory.getLogger(DockerExec.class);

  private static final long LIMIT_SLACK_MS = 50;

  private static final Map<DockerClient, Semaphore> ATTACHED =
      Collections.synchronizedMap(new WeakHashMap<>());

  private final DockerClient docker;
  private final ScriptShell shell;
  private final Semaphore attached;

  DockerExec(DockerClient docker) {
    this.docker = docker;
    this.shell = new ScriptShell(docker);
    this.attached = ATTACHED.computeIfAbsent(docker, client -> new Semaphore(MAX_ATTACHED, true));
  }

  /** The argument vector running {@code script} in {@code container}; see {@link ScriptShell}. */
  List<String> scriptArgv(String container, String script, String name, List<String> args) {
    return shell.argv(container, script, name, args);
  }

  /**
   * Runs one of Sandbar's scripts in the container ({@code sh -c script sandbar <args...>}, see
   * {@link ScriptShell}) and collects its output, stdout and stderr together at most {@code
   * maxBytes}, within {@link BoundedRead#DEFAULT_TIME_LIMIT}.
   *
   * @throws ContainerUnavailable when the container is gone or not running
   * @throws DockerOperationException for anything else Docker answered, or a script that failed
   * @throws io.temporal.failure.ApplicationFailure {@code CONTAINER_READ_LIMIT} over either limit
   */
  Result run(String container, long maxBytes, String script, String... args) {
    return run(container, List.of(), null, maxBytes, script, args);
  }

  /**
   * {@link #run(String, long, String, String...)} with an environment and a working directory for
   * the script, as a command gets them.
   *
   * @param env {@code NAME=value} entries; none when empty
   * @param cwd the working directory; the image's when null or blank
   */
  Result run(
      String container,
      List<String> env,
      String cwd,
      long maxBytes,
      String script,
      String... args) {
    return run(
        new BoundedRead("exec in " + container, maxBytes), container, env, cwd, script, args);
  }

  /**
   * {@link #run(String, long, String, String...)} within {@code timeLimit}, answering empty instead
   * of failing when the limit passes first (waiting for a free connection included). For a read
   * that is simply asked again later: a command's wait polls with it, so that a slow daemon costs a
   * late poll, never a heartbeat missed behind a read that takes longer than the heartbeat timeout.
   */
  Optional<Result> tryRun(
      Duration timeLimit, String container, long maxBytes, String script, String... args) {
    BoundedRead bound = new BoundedRead("exec in " + container, maxBytes, timeLimit);
    try {
      return Optional.of(run(bound, container, List.of(), null, script, args));
    } catch (ApplicationFailure | DockerOperationException e) {
      // Within a moment of the limit counts as past it: the wait for a connection ends on a
      // rounded millisecond.
      if (bound.remainingMillis() > LIMIT_SLACK_MS) {
        throw e;
      }
      log.info("exec in {} took longer than {}; asked again later", container, timeLimit);
      return Optional.empty();
    }
  }

  private Result run(
      BoundedRead bound,
      String container,
      List<String> env,
      String cwd,
      String script,
      String... args) {
    try {
      // Within the exec's own time limit: a caller that heartbeats between execs (a command's
      // wait) never goes longer without one than an exec alone could take.
      if (!attached.tryAcquire(bound.remainingMillis(), TimeUnit.MILLISECONDS)) {
        throw DockerFailures.transientFailure(
            "no Docker connection free for an exec in " + container + " in time", null);
      }
    } catch (InterruptedException e) {
      throw DockerFailures.interrupted(e);
    }
    try {
      return runAttached(container, env, cwd, bound, script, args);
    } finally {
      attached.release();
    }
  }

  private Result runAttached(
      String container,
      List<String> env,
      String cwd,
      BoundedRead bound,
      String script,
      String... args) {
    String execId;
    ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    AtomicReference<RuntimeException> overflow = new AtomicReference<>();
    try {
      List<String> cmd = shell.argv(container, script, "sandbar", List.of(args));
      var create =
          docker
              .execCreateCmd(container)
              .withCmd(cmd.toArray(String[]::new))
              .withAttachStdout(true)
              .withAttachStderr(true);
      if (!env.isEmpty()) {
        create.withEnv(env);
      }
      if (cwd != null && !cwd.isBlank()) {
        create.withWorkingDir(cwd);
      }
      execId = create.exec().getId();
      try (var callback =
          docker
              .execStartCmd(execId)
              .exec(
                  new ResultCallback.Adapter<Frame>() {
                    @Override
                    public void onNext(Frame frame) {
                      if (overflow.get() != null) {
                        return;
                      }
                      byte[] payload = frame.getPayload();
                      try {
                        bound.count(payload.length);
                      } catch (RuntimeException tooMuch) {
                        // Stop reading: closing the stream ends the exec's attach, and the rest is
                        // never buffered.
                        overflow.set(tooMuch);
                        closeQuietly(this);
                        return;
                      }
                      (frame.getStreamType() == StreamType.STDERR ? stderr : stdout)
                          .writeBytes(payload);
                    }
                  })) {
        if (!callback.awaitCompletion(bound.remainingMillis(), TimeUnit.MILLISECONDS)) {
          throw bound.tooSlow();
        }
      }
    } catch (InterruptedException e) {
      throw DockerFailures.interrupted(e);
    } catch (IOException e) {
      throw DockerFailures.transientFailure("exec stream in " + container + " failed", e);
    } catch (ApplicationFailure e) {
      throw e;
    } catch (BadRequestException e) {
      throw rejected(e);
    } catch (RuntimeException e) {
      if (overflow.get() != null) {
        throw overflow.get();
      }
      throw DockerFailures.ofExec(container, "exec in " + container + " failed", e);
    }
    if (overflow.get() != null) {
      throw overflow.get();
    }
    return new Result(exitCodeOf(container, execId), stdout.toByteArray(), stderr.toByteArray());
  }

  private static void closeQuietly(ResultCallback.Adapter<Frame> callback) {
    try {
      callback.close();
    } catch (IOException | RuntimeException e) {
      // The read is already failed; a close that fails changes nothing.
    }
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
        started.awaitCompletion(BoundedRead.DEFAULT_TIME_LIMIT.toMillis(), TimeUnit.MILLISECONDS);
      }
      return execId;
    } catch (NotFoundException e) {
      throw DockerFailures.containerGone(container, e);
    } catch (ConflictException e) {
      throw DockerFailures.notRunning(container, e);
    } catch (BadRequestException e) {
      throw rejected(e);
    } catch (InterruptedException e) {
      throw DockerFailures.interrupted(e);
    } catch (IOException e) {
      throw DockerFailures.transientFailure("exec stream in " + container + " failed", e);
    } catch (RuntimeException e) {
      throw DockerFailures.transientFailure(
          "starting the command in " + container + " failed: " + e.getMessage(), e);
    }
  }

  /** The runtime refused the exec itself, e.g. a working directory that does not exist. */
  static ApplicationFailure rejected(Exception e) {
    return DockerFailures.permanent(
        ErrorType.INVALID_ARGUMENT, "Docker rejected the command's exec: " + e.getMessage(), e);
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

  /**
   * The exec's exit code; Docker may report it a moment after the stream has closed. Asked again
   * after 2 ms, then at growing intervals up to 20 ms (about a second in all): a short command's
   * answer waits on this.
   */
  private long exitCodeOf(String container, String execId) {
    long interval = 2;
    for (int i = 0; i < 60; i++) {
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
      pause(interval);
      interval = Math.min(20, interval * 2);
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
