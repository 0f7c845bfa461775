package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectExecResponse;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutput;
import dev.sandbar.workflows.model.RunCommand;
import dev.sandbar.workflows.model.StartCommand;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CommandActivities} against one Docker daemon.
 *
 * <p>A command runs under a fixed wrapper script ({@link ContainerScripts#WRAPPER}) started by one
 * detached {@code docker exec}. Everything the control plane needs later lives in files in the
 * container, under {@link CommandRef#taskDir()}: {@code pid} (the command's process group), {@code
 * wrapper} (the wrapper's pid), {@code stdout}, {@code stderr}, {@code output.log} (both,
 * interleaved as written) and {@code exit} (the exit code, renamed into place so it is never seen
 * half-written). No Docker stream is held open while a command runs: waiting ({@link CommandWait})
 * is a series of short polling execs, so a broken stream or a dead worker loses nothing, and a
 * retried activity picks up the same files.
 *
 * <p>Process liveness relies on the sandbox running an init as pid 1 ({@code --init}, as {@link
 * DockerHostActivities} creates it) so that orphans of a killed command are reaped; zombies are
 * ignored by the liveness check anyway.
 */
public class DockerCommandActivities implements CommandActivities {

  private static final Logger log = LoggerFactory.getLogger(DockerCommandActivities.class);

  /**
   * Largest slice {@link #readOutput} returns at once: Base64 makes 512 KiB about 683 KiB, which
   * keeps the payload under 1 MiB (a reader asking for more gets this much and the next offset).
   */
  static final int MAX_READ_BYTES = 512 * 1024;

  /** How long {@link #startCommand} waits for the wrapper to write the command's pid. */
  static final Duration START_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  private final DockerExec exec;
  private final ContainerFiles files;
  private final CommandKiller killer;
  private final CommandWait wait;
  private final CommandLauncher launcher;

  private final TaskOutputCap outputCap;

  /** With the default {@link TaskOutputCap}. */
  public DockerCommandActivities(DockerClient docker) {
    this(docker, TaskOutputCap.defaults());
  }

  public DockerCommandActivities(DockerClient docker, TaskOutputCap outputCap) {
    this.outputCap = outputCap;
    this.exec = new DockerExec(docker);
    this.files = new ContainerFiles(docker);
    this.killer = new CommandKiller(exec);
    OutcomeCollector outcomes = new OutcomeCollector(exec, files);
    this.wait = new CommandWait(exec, outcomes, killer);
    this.launcher = new CommandLauncher(exec, outcomes, outputCap);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Returns only once the command's pid file exists (so a kill right after start finds the
   * group), or once a failed set-up has written the task's exit code. {@code CONTAINER_GONE} when
   * the container does not exist, {@code INVALID_ARGUMENT} for a bad task id, env or working
   * directory; Docker errors a retry may cure are left to the retry policy.
   */
  @Override
  public void startCommand(StartCommand request) {
    CommandRef ref = request.ref();
    checkRef(ref);
    checkStart(request);
    String container = containerName(ref);
    List<String> env = new ArrayList<>();
    if (request.env() != null) {
      request.env().forEach((k, v) -> env.add(k + "=" + (v == null ? "" : v)));
    }
    String execId;
    try {
      execId =
          exec.startDetached(
              container,
              exec.scriptArgv(
                  container,
                  ContainerScripts.WRAPPER,
                  "sandbar-exec",
                  List.of(
                      ref.taskDir(),
                      request.command(),
                      Long.toString(outputCap.logBytes()),
                      Long.toString(outputCap.streamBytes()),
                      request.stdin() ? "1" : "0")),
              env,
              request.cwd());
    } catch (ContainerUnavailable e) {
      throw e.toFailure(container);
    }
    awaitPid(container, ref, execId);
    log.info("started task {} in {}", ref.taskId(), container);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Polls the task's files with one short exec per poll (every 50 ms at first, backing off to 1
   * s) and heartbeats {@link WaitProgress} after each poll. Safe to run any number of times, even
   * concurrently: it only reads. A stall is reported only when {@code stallSeconds > 0} and not yet
   * reported, after the log has not grown for {@code stallSeconds}, and when either its tail looks
   * like a prompt or a process of the command is blocked reading its stdin. A container that
   * stopped ends the wait with the exit code it recorded, or {@code VANISHED}.
   */
  @Override
  public CommandOutcome awaitCommand(AwaitCommand request) {
    CommandRef ref = request.ref();
    checkRef(ref);
    return wait.await(Activity.getExecutionContext(), request, containerName(ref));
  }

  /**
   * {@inheritDoc}
   *
   * <p>One exec ({@link CommandLauncher}) starts the command and waits up to {@link
   * CommandLauncher#IN_CONTAINER_WAIT} in the container for its end, then reads its outcome; a
   * command still running then is waited for as {@link #awaitCommand} does, heartbeating.
   */
  @Override
  public CommandOutcome runCommand(RunCommand request) {
    StartCommand start = request.start();
    CommandRef ref = start.ref();
    checkRef(ref);
    checkStart(start);
    String container = containerName(ref);
    ActivityExecutionContext context = Activity.getExecutionContext();
    Optional<CommandOutcome> ended;
    try {
      ended = launcher.launch(container, start, Math.max(0, request.await().maxStreamBytes()));
    } catch (ContainerUnavailable e) {
      if (context.getInfo().getAttempt() > 1) {
        // An earlier attempt may have started it before the container was paused or stopped:
        // the wait knows how to follow a command through both.
        return wait.await(context, request.await(), container);
      }
      throw e.toFailure(container);
    }
    if (ended.isPresent()) {
      return ended.get();
    }
    log.info("started task {} in {}", ref.taskId(), container);
    return wait.await(context, request.await(), container);
  }

  /**
   * {@inheritDoc}
   *
   * <p>Idempotent: a group already gone and a container that is stopped or gone (its processes went
   * with it) are both "done". A kill that overtakes its start marks the task as killed (exit 137)
   * so the start never runs it; see {@code kill.sh}. {@code SANDBOX_NOT_RUNNING} while the
   * container is paused, as its processes cannot be signalled then.
   */
  @Override
  public void killCommand(CommandRef ref) {
    checkRef(ref);
    String container = containerName(ref);
    try {
      killer.kill(container, ref);
    } catch (ContainerUnavailable e) {
      if (e.gone() || !exec.isPaused(container)) {
        log.info("task {}: container {} is not running, nothing to kill", ref.taskId(), container);
        return;
      }
      throw DockerFailures.notRunning(container, e);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Read-only, so safe to retry. {@code limit} is capped at {@link #MAX_READ_BYTES}; an offset
   * at or past the end, or a task that has not written its log yet, gives an empty chunk. Works on
   * a stopped container too (through Docker's archive API). {@code CONTAINER_GONE} when the
   * container does not exist.
   */
  @Override
  public OutputChunk readOutput(ReadOutput request) {
    CommandRef ref = request.ref();
    checkRef(ref);
    if (request.offset() < 0 || request.limit() < 0) {
      throw DockerFailures.invalid("offset and limit must not be negative");
    }
    int limit = Math.min(request.limit(), MAX_READ_BYTES);
    long offset = request.offset();
    String container = containerName(ref);
    long total;
    byte[] data;
    try {
      DockerExec.Result out =
          exec.run(
              container,
              DockerExec.HEADER_BYTES + limit,
              ContainerScripts.READ,
              ref.taskDir(),
              Long.toString(offset),
              Integer.toString(limit));
      ScriptOutput header = ScriptOutput.parse(out.stdout(), 1);
      total = header.field(0).equals("-") ? 0 : header.number(0);
      data = header.rest(out.stdout());
    } catch (ContainerUnavailable e) {
      if (e.gone()) {
        throw DockerFailures.containerGone(container, e);
      }
      Optional<ContainerFiles.Slice> slice =
          files.read(container, ref.outputFile(), size -> Math.min(offset, size), limit);
      total = slice.map(ContainerFiles.Slice::size).orElse(0L);
      data = slice.map(ContainerFiles.Slice::data).orElse(new byte[0]);
    }
    return new OutputChunk(
        Base64.getEncoder().encodeToString(data), offset, offset + data.length, total);
  }

  /** Polls until the wrapper has written the pid, or has visibly failed before it could. */
  private void awaitPid(String container, CommandRef ref, String execId) {
    long deadline = System.currentTimeMillis() + START_CONFIRM_TIMEOUT.toMillis();
    long interval = 20;
    while (true) {
      DockerExec.Result out;
      try {
        out = exec.run(container, DockerExec.HEADER_BYTES, ContainerScripts.STARTED, ref.taskDir());
      } catch (ContainerUnavailable e) {
        throw e.toFailure(container);
      }
      if (out.stdoutText().startsWith("ready")) {
        return;
      }
      InspectExecResponse wrapper = exec.inspect(execId);
      Long code = wrapper.getExitCodeLong();
      if (!Boolean.TRUE.equals(wrapper.isRunning()) && code != null && code != 0) {
        // Exit 0 means another attempt's wrapper owns the task: keep waiting for its pid.
        throw CommandLauncher.setUpFailed(container, ref, "exit " + code);
      }
      if (System.currentTimeMillis() > deadline) {
        throw DockerFailures.transientFailure(
            "task "
                + ref.taskId()
                + " in "
                + container
                + " wrote no pid within "
                + START_CONFIRM_TIMEOUT.toSeconds()
                + " s",
            null);
      }
      DockerExec.pause(interval);
      interval = Math.min(200, interval * 2);
    }
  }

  private static void checkStart(StartCommand request) {
    if (request.command() == null || request.command().isBlank()) {
      throw DockerFailures.invalid("the command is empty");
    }
    if (request.command().indexOf('\0') >= 0) {
      throw DockerFailures.invalid("the command contains a NUL character");
    }
    if (request.cwd() != null && request.cwd().indexOf('\0') >= 0) {
      throw DockerFailures.invalid("the working directory contains a NUL character");
    }
    if (request.env() != null) {
      for (Map.Entry<String, String> e : request.env().entrySet()) {
        String key = e.getKey();
        if (key == null || key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
          throw DockerFailures.invalid("invalid environment variable name: " + key);
        }
        if (e.getValue() != null && e.getValue().indexOf('\0') >= 0) {
          throw DockerFailures.invalid("environment variable " + key + " contains a NUL character");
        }
      }
    }
  }

  /** Refuses a ref that names no sandbox, or a task id that is not safe as a path component. */
  static void checkRef(CommandRef ref) {
    if (ref == null || ref.sandboxId() == null || ref.sandboxId().isBlank()) {
      throw DockerFailures.invalid("the command names no sandbox");
    }
    // The task id becomes a path in the container: no separators, no "..", no surprises.
    if (ref.taskId() == null || !TASK_ID.matcher(ref.taskId()).matches()) {
      throw DockerFailures.invalid("invalid task id: " + ref.taskId());
    }
  }

  private static String containerName(CommandRef ref) {
    return new ContainerRef(ref.sandboxId()).containerName();
  }
}
