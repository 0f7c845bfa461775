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
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutput;
import dev.sandbar.workflows.model.StartCommand;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import io.temporal.failure.ApplicationFailure;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.LongUnaryOperator;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CommandActivities} against one Docker daemon.
 *
 * <p>A command runs under a fixed wrapper script ({@link #WRAPPER}) started by one detached {@code
 * docker exec}. Everything the control plane needs later lives in files in the container, under
 * {@link CommandRef#taskDir()}: {@code pid} (the command's process group), {@code wrapper} (the
 * wrapper's pid), {@code stdout}, {@code stderr}, {@code output.log} (both, interleaved as written)
 * and {@code exit} (the exit code, renamed into place so it is never seen half-written). No Docker
 * stream is held open while a command runs: waiting is a series of short polling execs, so a broken
 * stream or a dead worker loses nothing, and a retried activity picks up the same files.
 *
 * <p>Process liveness relies on the sandbox running an init as pid 1 ({@code --init}, as {@link
 * DockerHostActivities} creates it) so that orphans of a killed command are reaped; zombies are
 * ignored by the liveness check anyway.
 */
public class DockerCommandActivities implements CommandActivities {

  private static final Logger log = LoggerFactory.getLogger(DockerCommandActivities.class);

  /**
   * Shared by the scripts that look at a task's processes (they set {@code d} to the task directory
   * first). {@code boot} prints the start time of the container's pid 1, which changes when the
   * container restarts: a task recorded under another boot has no live processes, whatever pids now
   * exist, and its recorded pids may belong to someone else. {@code alive} is true when a process
   * of group {@code $p} exists that is not a zombie (a zombie cannot run again, and without an init
   * it would never go away).
   */
  private static final String PROCESS_FUNCTIONS =
      """
      boot() { read -r l < /proc/1/stat && set -- ${l##*) } && echo "${20}"; }
      same_boot() {
        b0=$(cat "$d/boot" 2>/dev/null)
        [ -z "$b0" ] || [ "$b0" = "$(boot)" ]
      }
      alive() {
        [ -n "$p" ] && kill -0 -"$p" 2>/dev/null && same_boot || return 1
        for f in /proc/[0-9]*/stat; do
          read -r l 2>/dev/null < "$f" || continue
          set -- ${l##*) }
          [ "$3" = "$p" ] && [ "$1" != Z ] && return 0
        done
        return 1
      }
      """;

  /**
   * The wrapper, run as {@code sh -c WRAPPER sandbar-exec <taskDir> <command>}. The user's command
   * only ever travels as {@code $2} and runs as {@code sh -c "$2"}, so no quoting in it can reach
   * this text.
   *
   * <ul>
   *   <li>{@code mkdir} of the task directory is the idempotency guard: a retried start finds it
   *       and exits at once, so a command never runs twice.
   *   <li>{@code setsid} gives the command its own process group (the wrapper's background job is
   *       never a group leader, so busybox setsid does not fork and {@code $!} is the command),
   *       which is what kill signals; the wrapper and the tees stay outside it so the exit code is
   *       still written after a kill.
   *   <li>stdin is a fifo opened read-write: the command holds a writer itself, so a read blocks
   *       instead of seeing EOF. That is what makes a command waiting for input visible as a stall
   *       rather than failing on an empty stdin.
   *   <li>{@code boot} records which start of the container the pids belong to (see {@link
   *       #PROCESS_FUNCTIONS}).
   *   <li>After the command ends the wrapper gives the tees a bounded moment to drain (a background
   *       process the command left behind may hold the pipes open for ever), then renames the exit
   *       code into place.
   * </ul>
   *
   * Exit codes of its own: 125 when the tasks directory cannot be created (nothing was started),
   * 126 (written as the task's exit code) when the pipes cannot be created.
   */
  static final String WRAPPER =
      PROCESS_FUNCTIONS
          + """
          d=$1
          mkdir -p "${d%/*}" || exit 125
          mkdir "$d" 2>/dev/null || exit 0
          boot > "$d/boot"
          echo $$ > "$d/wrapper"
          : > "$d/stdout"; : > "$d/stderr"; : > "$d/output.log"
          finish() { echo "$1" > "$d/exit.tmp" && mv -f "$d/exit.tmp" "$d/exit"; exit 0; }
          if ! mkfifo "$d/stdin" "$d/stdout.pipe" "$d/stderr.pipe"; then
            echo "sandbar-exec: cannot create the task's pipes" | tee -a "$d/output.log" >> "$d/stderr"
            finish 126
          fi
          { tee -a "$d/output.log" < "$d/stdout.pipe" > "$d/stdout"; : > "$d/stdout.done"; } &
          { tee -a "$d/output.log" < "$d/stderr.pipe" > "$d/stderr"; : > "$d/stderr.done"; } &
          setsid sh -c 'echo $$ > "$1/pid.tmp" && mv -f "$1/pid.tmp" "$1/pid" && exec sh -c "$2"' \
            sandbar-command "$d" "$2" <> "$d/stdin" > "$d/stdout.pipe" 2> "$d/stderr.pipe" &
          wait $!
          code=$?
          i=0
          while [ ! -e "$d/stdout.done" ] || [ ! -e "$d/stderr.done" ]; do
            [ $i -ge 100 ] && break
            sleep 0.02
            i=$((i + 1))
          done
          finish $code
          """;

  /**
   * One poll ({@code $2} is {@code deep} or not): prints {@code <exit|-> <outputBytes> <groupAlive>
   * <wrapperAlive> <taskKnown> <readingStdin>} on one line; when deep, also the last {@code $3}
   * bytes of the log after it. The liveness checks come before the exit file is read, so a process
   * that ended between the two is always seen with its exit code.
   *
   * <p>{@code readingStdin}: a process of the group that sleeps in a pipe read or a poll with its
   * stdin on the task's stdin fifo. Nothing can ever be written to that fifo, so such a process
   * waits for input that will not come, exactly like one sitting at a prompt; {@code read x} prints
   * nothing, so this is the only way to see it. Where the kernel hides {@code wchan} this reports 0
   * and only prompt-looking output counts.
   */
  private static final String PROBE =
      PROCESS_FUNCTIONS
          + """
          d=$1; deep=$2; n=$3
          p=$(cat "$d/pid" 2>/dev/null)
          w=$(cat "$d/wrapper" 2>/dev/null)
          g=0; alive && g=1
          r=0; [ -n "$w" ] && kill -0 "$w" 2>/dev/null && same_boot && r=1
          e=$(cat "$d/exit" 2>/dev/null); [ -n "$e" ] || e=-
          s=$(stat -c %s "$d/output.log" 2>/dev/null) || s=0
          k=0; [ -d "$d" ] && k=1
          b=0
          if [ "$deep" = deep ] && [ $g = 1 ]; then
            for f in /proc/[0-9]*/stat; do
              read -r l 2>/dev/null < "$f" || continue
              set -- ${l##*) }
              [ "$3" = "$p" ] && [ "$1" = S ] || continue
              q=${f%/stat}
              [ "$(readlink "$q/fd/0" 2>/dev/null)" = "$d/stdin" ] || continue
              case "$(cat "$q/wchan" 2>/dev/null)" in
                *pipe_read*|pipe_wait|poll_schedule_timeout*|do_select|core_sys_select) b=1 ;;
              esac
            done
          fi
          echo "$e $s $g $r $k $b"
          if [ "$deep" = deep ]; then tail -c "$n" "$d/output.log" 2>/dev/null; fi
          """;

  /**
   * Prints {@code <stdoutSize> <stderrSize> <logSize>}, then the first {@code $2} bytes of stdout
   * and of stderr and the last {@code $3} bytes of the log. Sizes are taken once and every read is
   * bounded by them, so output still arriving (from a process the command left behind) cannot shift
   * the boundaries.
   */
  private static final String COLLECT =
      """
      d=$1; n=$2; t=$3
      a=$(stat -c %s "$d/stdout" 2>/dev/null) || a=0
      b=$(stat -c %s "$d/stderr" 2>/dev/null) || b=0
      c=$(stat -c %s "$d/output.log" 2>/dev/null) || c=0
      echo "$a $b $c"
      x=$a; [ "$x" -gt "$n" ] && x=$n
      [ "$x" -gt 0 ] && head -c "$x" "$d/stdout"
      x=$b; [ "$x" -gt "$n" ] && x=$n
      [ "$x" -gt 0 ] && head -c "$x" "$d/stderr"
      x=$c; [ "$x" -gt "$t" ] && x=$t
      [ "$x" -gt 0 ] && tail -c +$((c - x + 1)) "$d/output.log" | head -c "$x"
      exit 0
      """;

  /**
   * Prints the log's size (or {@code -} when there is none), then bytes {@code [$2, $2+$3)} of it,
   * bounded by that size so the answer is one consistent snapshot.
   */
  private static final String READ =
      """
      f=$1/output.log; o=$2; n=$3
      [ -f "$f" ] || { echo -; exit 0; }
      s=$(stat -c %s "$f")
      echo "$s"
      k=$((s - o)); [ $k -gt $n ] && k=$n
      [ $k -gt 0 ] && tail -c +$((o + 1)) "$f" | head -c "$k"
      exit 0
      """;

  /**
   * TERM to the group, up to {@code $2} polls 50 ms apart for it to go, then KILL, then up to the
   * same again for the kernel to finish. Exit 3 means something in the group survived even KILL (a
   * process in uninterruptible sleep); the caller retries.
   *
   * <p>A kill can overtake its start (the workflow gives up on a start activity that is still in
   * flight): with no task directory yet, it creates one recording exit 137 so the start, finding
   * the directory, never runs the command; with a directory but no pid yet, it waits for the pid.
   */
  private static final String KILL =
      PROCESS_FUNCTIONS
          + """
          d=$1; n=$2
          if [ ! -e "$d/pid" ] && [ ! -e "$d/exit" ]; then
            mkdir -p "${d%/*}" 2>/dev/null
            if mkdir "$d" 2>/dev/null; then
              : > "$d/stdout"
              echo "sandbar-exec: killed before it started" > "$d/stderr"
              cp "$d/stderr" "$d/output.log"
              echo 137 > "$d/exit.tmp" && mv -f "$d/exit.tmp" "$d/exit"
              exit 0
            fi
            i=0
            while [ ! -e "$d/pid" ] && [ ! -e "$d/exit" ] && [ $i -lt "$n" ]; do
              sleep 0.05
              i=$((i + 1))
            done
          fi
          p=$(cat "$d/pid" 2>/dev/null)
          alive || exit 0
          kill -TERM -"$p" 2>/dev/null
          i=0
          while alive; do
            [ $i -ge "$n" ] && break
            sleep 0.05
            i=$((i + 1))
          done
          alive || exit 0
          kill -KILL -"$p" 2>/dev/null
          i=0
          while alive; do
            [ $i -ge "$n" ] && exit 3
            sleep 0.05
            i=$((i + 1))
          done
          exit 0
          """;

  /** Prints {@code ready} once the command's pid (or, after a failed set-up, its exit) exists. */
  private static final String STARTED =
      "if [ -e \"$1/pid\" ] || [ -e \"$1/exit\" ]; then echo ready; else echo waiting; fi";

  /** How much of the log's end a finished command's outcome carries. */
  static final int OUTPUT_TAIL_BYTES = 4096;

  /** How much of the log's end is matched against prompt patterns. */
  static final int PROMPT_TAIL_BYTES = 200;

  /** Largest slice {@link #readOutput} returns at once: keeps the payload far below Temporal's. */
  static final int MAX_READ_BYTES = 1024 * 1024;

  /** Grace between TERM and KILL. */
  static final Duration KILL_GRACE = Duration.ofSeconds(2);

  /** How long {@link #startCommand} waits for the wrapper to write the command's pid. */
  static final Duration START_CONFIRM_TIMEOUT = Duration.ofSeconds(10);

  /** First pause between polls: short commands are answered almost at once. */
  static final Duration FIRST_POLL_INTERVAL = Duration.ofMillis(50);

  /** Longest pause between polls: bounds how late an exit is noticed and heartbeats go out. */
  static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(1);

  /** Bounds one short exec; they read a few files and finish in milliseconds. */
  private static final Duration EXEC_TIMEOUT = Duration.ofSeconds(30);

  private static final Pattern TASK_ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}");

  /** A bare shell prompt waiting after its trailing space ({@code $ }, {@code # }, {@code > }). */
  private static final Pattern SHELL_PROMPT = Pattern.compile("[$#>] \\z");

  /** Prompts matched against the log's last non-blank line, trailing whitespace removed. */
  private static final Pattern PROMPT_LINE =
      Pattern.compile(
          "(?:pass(?:word|phrase)|user ?name|login)\\b.*:\\z"
              + "|[\\[(]y(?:es)?/n(?:o)?\\b"
              + "|\\bpress\\b.*\\bto continue\\b"
              + "|\\bare you sure\\b"
              + "|\\b(?:continue|proceed)\\s*\\?"
              + "|^\\s*enter\\b.*:\\z",
          Pattern.CASE_INSENSITIVE);

  private final DockerClient docker;

  public DockerCommandActivities(DockerClient docker) {
    this.docker = docker;
  }

  /**
   * What a waiting attempt heartbeats, so the next attempt (after a worker crash) continues stall
   * tracking instead of starting the silence over.
   *
   * @param outputBytes the log's size when last polled
   * @param lastGrowthAtMillis wall-clock time the log last changed size; the next attempt runs on
   *     the same host, so the same clock
   */
  public record WaitProgress(long outputBytes, long lastGrowthAtMillis) {}

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
      var create =
          docker
              .execCreateCmd(container)
              .withCmd("sh", "-c", WRAPPER, "sandbar-exec", ref.taskDir(), request.command())
              .withAttachStdin(false)
              .withAttachStdout(false)
              .withAttachStderr(false)
              .withTty(false);
      if (!env.isEmpty()) {
        create.withEnv(env);
      }
      if (request.cwd() != null && !request.cwd().isBlank()) {
        create.withWorkingDir(request.cwd());
      }
      execId = create.exec().getId();
      try (var started =
          docker.execStartCmd(execId).withDetach(true).exec(new ResultCallback.Adapter<>())) {
        started.awaitCompletion(EXEC_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
      }
    } catch (NotFoundException e) {
      throw containerGone(container, e);
    } catch (ConflictException e) {
      throw notRunning(container, e);
    } catch (BadRequestException e) {
      // The runtime refused the exec itself, e.g. a working directory that does not exist.
      throw ApplicationFailure.newNonRetryableFailureWithCause(
          "Docker rejected the command's exec: " + e.getMessage(),
          ErrorType.INVALID_ARGUMENT.name(),
          e);
    } catch (InterruptedException e) {
      throw interrupted(e);
    } catch (IOException e) {
      throw new DockerOperationException("exec stream in " + container + " failed", e);
    } catch (RuntimeException e) {
      throw new DockerOperationException(
          "starting the command in " + container + " failed: " + e.getMessage(), e);
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
    ActivityExecutionContext context = Activity.getExecutionContext();
    String container = containerName(ref);
    int maxStreamBytes = Math.max(0, request.maxStreamBytes());
    boolean detectStall = request.stallSeconds() > 0 && !request.stallReported();
    long stallMillis = saturatedMillis(request.stallSeconds());
    Optional<WaitProgress> previous = context.getHeartbeatDetails(WaitProgress.class);
    long knownBytes = previous.map(WaitProgress::outputBytes).orElse(-1L);
    long lastGrowthAt = previous.map(WaitProgress::lastGrowthAtMillis).orElse(now());
    long interval = FIRST_POLL_INTERVAL.toMillis();
    boolean endSeenOnce = false;
    while (true) {
      long polledAt = now();
      boolean deep = detectStall && knownBytes >= 0 && polledAt - lastGrowthAt >= stallMillis;
      Probe probe;
      try {
        probe = probe(container, ref, deep);
      } catch (ContainerUnavailable e) {
        Optional<CommandOutcome> ended = outcomeWithoutExec(container, ref, maxStreamBytes, e);
        if (ended.isPresent()) {
          return ended.get();
        }
        probe = null;
      }
      if (probe != null) {
        if (probe.exitCode() != null) {
          return collect(
              container, ref, CommandOutcome.State.EXITED, probe.exitCode(), maxStreamBytes);
        }
        if (!probe.groupAlive() && !probe.wrapperAlive()) {
          // Looked at twice: one poll could land between the group's end and the rename of the
          // exit file if the wrapper check raced with its own exit.
          if (endSeenOnce || !probe.taskKnown()) {
            log.warn("task {} in {} ended without an exit code", ref.taskId(), container);
            return collect(container, ref, CommandOutcome.State.VANISHED, null, maxStreamBytes);
          }
          endSeenOnce = true;
        } else {
          endSeenOnce = false;
        }
        if (probe.outputBytes() != knownBytes) {
          knownBytes = probe.outputBytes();
          lastGrowthAt = polledAt;
        } else if (deep
            && probe.groupAlive()
            && (probe.readingStdin() || looksLikePrompt(probe.tail()))) {
          log.info("task {} in {} looks stalled on input", ref.taskId(), container);
          return collect(container, ref, CommandOutcome.State.STALLED, null, 0);
        }
      }
      heartbeat(context, new WaitProgress(knownBytes, lastGrowthAt), container, ref);
      sleep(endSeenOnce ? FIRST_POLL_INTERVAL.toMillis() : interval);
      interval = Math.min(MAX_POLL_INTERVAL.toMillis(), interval * 3 / 2);
    }
  }

  /**
   * {@inheritDoc}
   *
   * <p>Idempotent: a group already gone and a container that is stopped or gone (its processes went
   * with it) are both "done". A kill that overtakes its start marks the task as killed (exit 137)
   * so the start never runs it; see {@link #KILL}. {@code SANDBOX_NOT_RUNNING} while the container
   * is paused, as its processes cannot be signalled then.
   */
  @Override
  public void killCommand(CommandRef ref) {
    checkRef(ref);
    String container = containerName(ref);
    try {
      killGroup(container, ref);
    } catch (ContainerUnavailable e) {
      if (e.gone || !isPaused(container)) {
        log.info("task {}: container {} is not running, nothing to kill", ref.taskId(), container);
        return;
      }
      throw notRunning(container, e);
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
      throw invalid("offset and limit must not be negative");
    }
    int limit = Math.min(request.limit(), MAX_READ_BYTES);
    long offset = request.offset();
    String container = containerName(ref);
    long total;
    byte[] data;
    try {
      Captured out =
          capture(container, READ, ref.taskDir(), Long.toString(offset), Integer.toString(limit));
      Header header = Header.parse(out.stdout(), 1);
      total = header.field(0).equals("-") ? 0 : header.number(0);
      data = header.rest(out.stdout());
    } catch (ContainerUnavailable e) {
      if (e.gone) {
        throw containerGone(container, e);
      }
      Optional<Slice> slice =
          readArchived(container, ref.outputFile(), size -> Math.min(offset, size), limit);
      total = slice.map(Slice::size).orElse(0L);
      data = slice.map(Slice::data).orElse(new byte[0]);
    }
    return new OutputChunk(
        Base64.getEncoder().encodeToString(data), offset, offset + data.length, total);
  }

  // ---- starting ----

  /** Polls until the wrapper has written the pid, or has visibly failed before it could. */
  private void awaitPid(String container, CommandRef ref, String execId) {
    long deadline = now() + START_CONFIRM_TIMEOUT.toMillis();
    long interval = 20;
    while (true) {
      Captured out;
      try {
        out = capture(container, STARTED, ref.taskDir());
      } catch (ContainerUnavailable e) {
        throw e.gone ? containerGone(container, e) : notRunning(container, e);
      }
      if (new String(out.stdout(), StandardCharsets.US_ASCII).startsWith("ready")) {
        return;
      }
      InspectExecResponse wrapper = docker.inspectExecCmd(execId).exec();
      Long code = wrapper.getExitCodeLong();
      if (!Boolean.TRUE.equals(wrapper.isRunning()) && code != null && code != 0) {
        // Exit 0 means another attempt's wrapper owns the task: keep waiting for its pid.
        throw ApplicationFailure.newNonRetryableFailure(
            "the command wrapper could not set up "
                + ref.taskDir()
                + " in "
                + container
                + " (exit "
                + code
                + "): is the container's root file system writable?",
            ErrorType.INVALID_STATE.name());
      }
      if (now() > deadline) {
        throw new DockerOperationException(
            "task "
                + ref.taskId()
                + " in "
                + container
                + " wrote no pid within "
                + START_CONFIRM_TIMEOUT.toSeconds()
                + " s",
            null);
      }
      sleep(interval);
      interval = Math.min(200, interval * 2);
    }
  }

  private static void checkStart(StartCommand request) {
    if (request.command() == null || request.command().isBlank()) {
      throw invalid("the command is empty");
    }
    if (request.command().indexOf('\0') >= 0) {
      throw invalid("the command contains a NUL character");
    }
    if (request.cwd() != null && request.cwd().indexOf('\0') >= 0) {
      throw invalid("the working directory contains a NUL character");
    }
    if (request.env() != null) {
      for (Map.Entry<String, String> e : request.env().entrySet()) {
        String key = e.getKey();
        if (key == null || key.isEmpty() || key.indexOf('=') >= 0 || key.indexOf('\0') >= 0) {
          throw invalid("invalid environment variable name: " + key);
        }
        if (e.getValue() != null && e.getValue().indexOf('\0') >= 0) {
          throw invalid("environment variable " + key + " contains a NUL character");
        }
      }
    }
  }

  // ---- waiting ----

  /** What one poll saw. {@code tail} is empty unless the poll was deep. */
  private record Probe(
      Integer exitCode,
      long outputBytes,
      boolean groupAlive,
      boolean wrapperAlive,
      boolean taskKnown,
      boolean readingStdin,
      byte[] tail) {}

  private Probe probe(String container, CommandRef ref, boolean deep) {
    Captured out =
        capture(
            container,
            PROBE,
            ref.taskDir(),
            deep ? "deep" : "shallow",
            Integer.toString(PROMPT_TAIL_BYTES));
    Header header = Header.parse(out.stdout(), 6);
    String exit = header.field(0);
    Integer exitCode;
    try {
      exitCode = exit.equals("-") ? null : Integer.valueOf(exit);
    } catch (NumberFormatException e) {
      // The exit file is renamed into place whole, so this is foreign content: treat as unknown.
      log.warn("task {} in {} has an unreadable exit file: {}", ref.taskId(), container, exit);
      exitCode = null;
    }
    return new Probe(
        exitCode,
        header.number(1),
        header.field(2).equals("1"),
        header.field(3).equals("1"),
        header.field(4).equals("1"),
        header.field(5).equals("1"),
        header.rest(out.stdout()));
  }

  /** Reads the streams and the log's tail into an outcome. */
  private CommandOutcome collect(
      String container,
      CommandRef ref,
      CommandOutcome.State state,
      Integer exitCode,
      int maxStreamBytes) {
    Captured out;
    try {
      out =
          capture(
              container,
              COLLECT,
              ref.taskDir(),
              Integer.toString(maxStreamBytes),
              Integer.toString(OUTPUT_TAIL_BYTES));
    } catch (ContainerUnavailable e) {
      return collectArchived(container, ref, state, exitCode, maxStreamBytes);
    }
    byte[] bytes = out.stdout();
    Header header = Header.parse(bytes, 3);
    long stdoutSize = header.number(0);
    long stderrSize = header.number(1);
    long logSize = header.number(2);
    int stdoutLen = (int) Math.min(stdoutSize, maxStreamBytes);
    int stderrLen = (int) Math.min(stderrSize, maxStreamBytes);
    int tailLen = (int) Math.min(logSize, OUTPUT_TAIL_BYTES);
    int at = header.bodyStart();
    if (bytes.length < at + stdoutLen + stderrLen + tailLen) {
      throw new DockerOperationException(
          "short read of task " + ref.taskId() + " output in " + container, null);
    }
    byte[] stdout = Arrays.copyOfRange(bytes, at, at + stdoutLen);
    byte[] stderr = Arrays.copyOfRange(bytes, at + stdoutLen, at + stdoutLen + stderrLen);
    byte[] tail =
        Arrays.copyOfRange(bytes, at + stdoutLen + stderrLen, at + stdoutLen + stderrLen + tailLen);
    return outcome(
        state, exitCode, stdout, stdoutSize, stderr, stderrSize, tail, logSize, maxStreamBytes);
  }

  /** The same as {@link #collect}, for a container that is not running. */
  private CommandOutcome collectArchived(
      String container,
      CommandRef ref,
      CommandOutcome.State state,
      Integer exitCode,
      int maxStreamBytes) {
    String dir = ref.taskDir();
    Optional<Slice> stdout =
        maxStreamBytes == 0
            ? Optional.empty()
            : readArchived(container, dir + "/stdout", size -> 0, maxStreamBytes);
    Optional<Slice> stderr =
        maxStreamBytes == 0
            ? Optional.empty()
            : readArchived(container, dir + "/stderr", size -> 0, maxStreamBytes);
    Optional<Slice> tail =
        readArchived(
            container,
            ref.outputFile(),
            size -> Math.max(0, size - OUTPUT_TAIL_BYTES),
            OUTPUT_TAIL_BYTES);
    return outcome(
        state,
        exitCode,
        stdout.map(Slice::data).orElse(new byte[0]),
        stdout.map(Slice::size).orElse(0L),
        stderr.map(Slice::data).orElse(new byte[0]),
        stderr.map(Slice::size).orElse(0L),
        tail.map(Slice::data).orElse(new byte[0]),
        tail.map(Slice::size).orElse(0L),
        maxStreamBytes);
  }

  private static CommandOutcome outcome(
      CommandOutcome.State state,
      Integer exitCode,
      byte[] stdout,
      long stdoutSize,
      byte[] stderr,
      long stderrSize,
      byte[] tail,
      long logSize,
      int maxStreamBytes) {
    boolean stdoutCut = stdoutSize > stdout.length;
    boolean stderrCut = stderrSize > stderr.length;
    boolean truncated = state != CommandOutcome.State.STALLED && (stdoutCut || stderrCut);
    return new CommandOutcome(
        state,
        exitCode,
        decodeHead(stdout, stdoutCut),
        decodeHead(stderr, stderrCut),
        truncated,
        decodeTail(tail, logSize > tail.length),
        logSize);
  }

  /**
   * The end of a wait when the container cannot run an exec: empty while it is paused (its
   * processes are frozen, not gone, so keep waiting), otherwise what its files say.
   */
  private Optional<CommandOutcome> outcomeWithoutExec(
      String container, CommandRef ref, int maxStreamBytes, ContainerUnavailable cause) {
    if (cause.gone) {
      log.warn("container {} is gone; task {} vanished with it", container, ref.taskId());
      return Optional.of(
          new CommandOutcome(CommandOutcome.State.VANISHED, null, "", "", false, "", 0));
    }
    if (isPaused(container)) {
      return Optional.empty();
    }
    // Stopped: its processes are gone, but its file system still says how the command ended.
    Optional<Integer> exit =
        readArchived(container, ref.taskDir() + "/exit", size -> 0, 64)
            .map(s -> new String(s.data(), StandardCharsets.US_ASCII).trim())
            .flatMap(DockerCommandActivities::parseExit);
    CommandOutcome.State state =
        exit.isPresent() ? CommandOutcome.State.EXITED : CommandOutcome.State.VANISHED;
    return Optional.of(collectArchived(container, ref, state, exit.orElse(null), maxStreamBytes));
  }

  private static Optional<Integer> parseExit(String text) {
    try {
      return Optional.of(Integer.valueOf(text));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  /**
   * Heartbeats, and kills the group when the heartbeat says the wait was cancelled: that is how a
   * kill request or the workflow's time limit reaches the process. Other completions (worker
   * shutdown, a newer attempt having taken over after a heartbeat timeout, a pause or reset) leave
   * the command running, since another attempt is expected to re-attach to it.
   */
  private void heartbeat(
      ActivityExecutionContext context, WaitProgress progress, String container, CommandRef ref) {
    try {
      context.heartbeat(progress);
    } catch (ActivityCanceledException e) {
      log.info("wait for task {} in {} cancelled; killing its group", ref.taskId(), container);
      try {
        killGroup(container, ref);
      } catch (RuntimeException killFailed) {
        e.addSuppressed(killFailed);
      }
      throw e;
    }
  }

  /**
   * Whether a log's tail looks like a program waiting at a prompt. Shell prompts count only with
   * their trailing space (the way shells print them), so output that merely ends in {@code >} or
   * {@code #} does not; everything else is matched on the last non-blank line.
   */
  static boolean looksLikePrompt(byte[] tail) {
    String text = decodeTail(tail, true);
    if (SHELL_PROMPT.matcher(text).find()) {
      return true;
    }
    String trimmed = text.stripTrailing();
    int lineStart = Math.max(trimmed.lastIndexOf('\n'), trimmed.lastIndexOf('\r')) + 1;
    String lastLine = trimmed.substring(lineStart);
    return !lastLine.isBlank() && PROMPT_LINE.matcher(lastLine).find();
  }

  // ---- killing ----

  private void killGroup(String container, CommandRef ref) {
    Captured out =
        capture(container, KILL, ref.taskDir(), Long.toString(KILL_GRACE.toMillis() / 50));
    if (out.exitCode() == 3) {
      throw new DockerOperationException(
          "task " + ref.taskId() + " in " + container + " survived SIGKILL", null);
    }
    if (out.exitCode() != 0) {
      throw new DockerOperationException(
          "killing task "
              + ref.taskId()
              + " in "
              + container
              + " failed (exit "
              + out.exitCode()
              + "): "
              + new String(out.stderr(), StandardCharsets.UTF_8),
          null);
    }
  }

  // ---- Docker plumbing ----

  /** Output of one short exec. */
  private record Captured(long exitCode, byte[] stdout, byte[] stderr) {}

  /**
   * Runs {@code sh -c script sandbar <args...>} in the container and collects its output.
   *
   * @throws ContainerUnavailable when the container is gone or not running
   * @throws DockerOperationException for anything else Docker answered, or a script that failed
   */
  private Captured capture(String container, String script, String... args) {
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
          throw new DockerOperationException(
              "exec in " + container + " did not finish within " + EXEC_TIMEOUT.toSeconds() + " s",
              null);
        }
      }
    } catch (NotFoundException e) {
      throw new ContainerUnavailable(true, container, e);
    } catch (ConflictException e) {
      throw new ContainerUnavailable(false, container, e);
    } catch (InterruptedException e) {
      throw interrupted(e);
    } catch (IOException e) {
      throw new DockerOperationException("exec stream in " + container + " failed", e);
    } catch (DockerOperationException e) {
      throw e;
    } catch (RuntimeException e) {
      throw new DockerOperationException("exec in " + container + " failed: " + e.getMessage(), e);
    }
    return new Captured(exitCodeOf(container, execId), stdout.toByteArray(), stderr.toByteArray());
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
        throw new DockerOperationException("inspecting an exec in " + container + " failed", e);
      }
      if (!Boolean.TRUE.equals(inspect.isRunning()) && inspect.getExitCodeLong() != null) {
        return inspect.getExitCodeLong();
      }
      sleep(20);
    }
    throw new DockerOperationException("exec in " + container + " reported no exit code", null);
  }

  private boolean isPaused(String container) {
    try {
      InspectContainerResponse.ContainerState state =
          docker.inspectContainerCmd(container).exec().getState();
      return state != null && Boolean.TRUE.equals(state.getPaused());
    } catch (NotFoundException e) {
      return false;
    } catch (RuntimeException e) {
      throw new DockerOperationException("inspecting " + container + " failed", e);
    }
  }

  /** Part of a file and the whole file's size. */
  private record Slice(long size, byte[] data) {}

  /**
   * Reads up to {@code limit} bytes of a file through Docker's archive API, which works whether or
   * not the container runs; empty when the file does not exist.
   *
   * @param startFor where to start reading, given the file's size
   */
  private Optional<Slice> readArchived(
      String container, String path, LongUnaryOperator startFor, int limit) {
    try (InputStream tar = docker.copyArchiveFromContainerCmd(container, path).exec();
        TarArchiveInputStream entries = new TarArchiveInputStream(tar)) {
      TarArchiveEntry entry = entries.getNextEntry();
      if (entry == null || !entry.isFile()) {
        return Optional.empty();
      }
      long size = entry.getSize();
      long start = Math.max(0, Math.min(size, startFor.applyAsLong(size)));
      entries.skipNBytes(start);
      int length = (int) Math.min(limit, size - start);
      return Optional.of(new Slice(size, entries.readNBytes(length)));
    } catch (NotFoundException e) {
      if (containerExists(container)) {
        return Optional.empty();
      }
      throw containerGone(container, e);
    } catch (IOException | RuntimeException e) {
      throw new DockerOperationException("reading " + path + " from " + container + " failed", e);
    }
  }

  private boolean containerExists(String container) {
    try {
      docker.inspectContainerCmd(container).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }

  /**
   * The first line of a script's output: space-separated fields, followed by raw bytes (file
   * contents) that must not be decoded as text.
   */
  private record Header(String[] fields, int bodyStart) {

    static Header parse(byte[] bytes, int expectedFields) {
      int newline = -1;
      for (int i = 0; i < bytes.length; i++) {
        if (bytes[i] == '\n') {
          newline = i;
          break;
        }
      }
      if (newline < 0) {
        throw new DockerOperationException(
            "unexpected script output: " + new String(bytes, StandardCharsets.UTF_8), null);
      }
      String line = new String(bytes, 0, newline, StandardCharsets.US_ASCII).trim();
      String[] fields = line.split(" +");
      if (fields.length != expectedFields) {
        throw new DockerOperationException("unexpected script output: " + line, null);
      }
      return new Header(fields, newline + 1);
    }

    String field(int i) {
      return fields[i];
    }

    long number(int i) {
      try {
        return Long.parseLong(fields[i]);
      } catch (NumberFormatException e) {
        throw new DockerOperationException(
            "unexpected script output: " + String.join(" ", fields), e);
      }
    }

    byte[] rest(byte[] bytes) {
      return Arrays.copyOfRange(bytes, bodyStart, bytes.length);
    }
  }

  /** The container cannot run an exec: it is gone, or it is not running (stopped, paused). */
  private static final class ContainerUnavailable extends RuntimeException {
    private static final long serialVersionUID = 1L;

    final boolean gone;

    ContainerUnavailable(boolean gone, String container, Throwable cause) {
      super(
          "container "
              + container
              + (gone ? " does not exist" : " is not running")
              + ": "
              + cause.getMessage(),
          cause);
      this.gone = gone;
    }
  }

  // ---- small helpers ----

  /** Decodes the start of a stream; a cut inside a UTF-8 sequence drops the partial character. */
  static String decodeHead(byte[] bytes, boolean cut) {
    int end = bytes.length;
    if (cut) {
      int back = 0;
      while (back < 3 && end - back > 0 && isContinuation(bytes[end - back - 1])) {
        back++;
      }
      // Drop the lead byte too when the sequence it starts is incomplete.
      if (end - back > 0 && sequenceLength(bytes[end - back - 1]) > back + 1) {
        end = end - back - 1;
      }
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  /** Decodes the end of a stream; a cut inside a UTF-8 sequence drops the partial character. */
  static String decodeTail(byte[] bytes, boolean cut) {
    int start = 0;
    if (cut) {
      while (start < 3 && start < bytes.length && isContinuation(bytes[start])) {
        start++;
      }
    }
    return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int sequenceLength(byte lead) {
    int b = lead & 0xFF;
    if (b >= 0xF0) {
      return 4;
    }
    if (b >= 0xE0) {
      return 3;
    }
    if (b >= 0xC0) {
      return 2;
    }
    return 1;
  }

  private static void checkRef(CommandRef ref) {
    if (ref == null || ref.sandboxId() == null || ref.sandboxId().isBlank()) {
      throw invalid("the command names no sandbox");
    }
    // The task id becomes a path in the container: no separators, no "..", no surprises.
    if (ref.taskId() == null || !TASK_ID.matcher(ref.taskId()).matches()) {
      throw invalid("invalid task id: " + ref.taskId());
    }
  }

  private static String containerName(CommandRef ref) {
    return new ContainerRef(ref.sandboxId()).containerName();
  }

  private static long saturatedMillis(long seconds) {
    return seconds >= Long.MAX_VALUE / 1000 ? Long.MAX_VALUE : seconds * 1000;
  }

  private static long now() {
    return System.currentTimeMillis();
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      throw interrupted(e);
    }
  }

  private static RuntimeException interrupted(InterruptedException e) {
    Thread.currentThread().interrupt();
    return Activity.wrap(e);
  }

  private static ApplicationFailure invalid(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorType.INVALID_ARGUMENT.name());
  }

  private static ApplicationFailure containerGone(String container, Exception cause) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "container " + container + " does not exist", ErrorType.CONTAINER_GONE.name(), cause);
  }

  private static ApplicationFailure notRunning(String container, Exception cause) {
    return ApplicationFailure.newNonRetryableFailureWithCause(
        "container " + container + " is not running", ErrorType.SANDBOX_NOT_RUNNING.name(), cause);
  }
}
