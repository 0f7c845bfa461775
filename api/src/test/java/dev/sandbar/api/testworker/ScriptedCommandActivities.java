package dev.sandbar.api.testworker;

import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.OutputChunk;
import dev.sandbar.workflows.model.ReadOutput;
import dev.sandbar.workflows.model.RunCommand;
import dev.sandbar.workflows.model.StartCommand;
import io.temporal.activity.Activity;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCompletionException;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Commands as threads running a tiny script language instead of a shell, so the API's exec paths
 * run through the real {@code ExecWorkflow} without Docker (the real wrapper is tested in the
 * activities and standalone modules). Statements are separated by {@code ;}:
 *
 * <ul>
 *   <li>{@code echo TEXT} and {@code echo TEXT >&2}: a line on stdout or stderr
 *   <li>{@code sleep SECONDS} (fractions allowed)
 *   <li>{@code exit CODE}
 *   <li>{@code prompt TEXT}: prints TEXT without a newline and waits for input that never comes
 * </ul>
 *
 * <p>Anything else exits 127 like a shell that cannot find the command. Each task starts once,
 * whatever the retries, as the real wrapper guarantees.
 */
public final class ScriptedCommandActivities implements CommandActivities {

  private static final int TAIL_BYTES = 4096;
  private static final int MAX_READ_BYTES = 1024 * 1024;

  private final Map<String, Process> processes = new ConcurrentHashMap<>();

  /** How many commands have been started, for tests that must prove none was. */
  public int started() {
    return processes.size();
  }

  @Override
  public void startCommand(StartCommand command) {
    processes.computeIfAbsent(command.ref().taskId(), id -> Process.start(id, command.command()));
  }

  @Override
  public CommandOutcome awaitCommand(AwaitCommand request) {
    Process process = require(request.ref());
    ActivityExecutionContext context = Activity.getExecutionContext();
    while (!process.ended) {
      if (request.stallSeconds() > 0
          && !request.stallReported()
          && process.prompting
          && System.nanoTime() - process.promptSinceNanos
              >= TimeUnit.SECONDS.toNanos(request.stallSeconds())) {
        return process.outcome(CommandOutcome.State.STALLED, request.maxStreamBytes());
      }
      try {
        context.heartbeat(process.combinedSize());
      } catch (ActivityCompletionException cancelled) {
        // Cancelled (the task is killed): the real activity kills the process group first.
        process.kill();
        throw cancelled;
      }
      sleep(50);
    }
    return process.outcome(
        process.killed ? CommandOutcome.State.VANISHED : CommandOutcome.State.EXITED,
        request.maxStreamBytes());
  }

  @Override
  public CommandOutcome runCommand(RunCommand request) {
    startCommand(request.start());
    return awaitCommand(request.await());
  }

  @Override
  public void killCommand(CommandRef ref) {
    Process process = processes.get(ref.taskId());
    if (process != null) {
      process.kill();
    }
  }

  @Override
  public OutputChunk readOutput(ReadOutput request) {
    Process process = processes.get(request.ref().taskId());
    byte[] log = process == null ? new byte[0] : process.combined();
    int start = (int) Math.min(request.offset(), log.length);
    int end = Math.min(log.length, start + Math.min(request.limit(), MAX_READ_BYTES));
    byte[] data = Arrays.copyOfRange(log, start, end);
    return new OutputChunk(
        Base64.getEncoder().encodeToString(data),
        request.offset(),
        request.offset() + data.length,
        log.length);
  }

  private Process require(CommandRef ref) {
    Process process = processes.get(ref.taskId());
    if (process == null) {
      throw new IllegalStateException("task " + ref.taskId() + " was never started");
    }
    return process;
  }

  private static void sleep(long millis) {
    try {
      Thread.sleep(millis);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private static final class Process {
    private final ByteArrayOutputStream stdout = new ByteArrayOutputStream();
    private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
    private final ByteArrayOutputStream combined = new ByteArrayOutputStream();
    private volatile Thread thread;
    private volatile Integer exitCode;
    private volatile boolean killed;
    private volatile boolean ended;
    private volatile boolean prompting;
    private volatile long promptSinceNanos;

    static Process start(String taskId, String script) {
      Process process = new Process();
      process.thread =
          Thread.ofPlatform().daemon().name("task-" + taskId).start(() -> process.run(script));
      return process;
    }

    private void run(String script) {
      try {
        for (String statement : script.split(";")) {
          String s = statement.strip();
          if (s.isEmpty()) {
            continue;
          }
          if (s.startsWith("echo ")) {
            String text = s.substring("echo ".length());
            if (text.endsWith(">&2")) {
              write(stderr, text.substring(0, text.length() - 3).strip() + "\n");
            } else {
              write(stdout, text + "\n");
            }
          } else if (s.startsWith("sleep ")) {
            Thread.sleep((long) (Double.parseDouble(s.substring("sleep ".length())) * 1000));
          } else if (s.startsWith("exit ")) {
            exitCode = Integer.parseInt(s.substring("exit ".length()).strip());
            return;
          } else if (s.startsWith("prompt ")) {
            write(stdout, s.substring("prompt ".length()));
            promptSinceNanos = System.nanoTime();
            prompting = true;
            Thread.sleep(Long.MAX_VALUE);
          } else {
            write(stderr, "sh: " + s + ": not found\n");
            exitCode = 127;
            return;
          }
        }
        exitCode = 0;
      } catch (InterruptedException e) {
        killed = true;
      } finally {
        ended = true;
      }
    }

    void kill() {
      thread.interrupt();
      try {
        thread.join(5000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }

    private synchronized void write(ByteArrayOutputStream stream, String text) {
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      stream.writeBytes(bytes);
      combined.writeBytes(bytes);
    }

    synchronized byte[] combined() {
      return combined.toByteArray();
    }

    synchronized long combinedSize() {
      return combined.size();
    }

    synchronized CommandOutcome outcome(CommandOutcome.State state, int maxStreamBytes) {
      byte[] out = stdout.toByteArray();
      byte[] err = stderr.toByteArray();
      byte[] all = combined.toByteArray();
      boolean truncated = out.length > maxStreamBytes || err.length > maxStreamBytes;
      return new CommandOutcome(
          state,
          state == CommandOutcome.State.EXITED ? exitCode : null,
          text(out, maxStreamBytes),
          text(err, maxStreamBytes),
          truncated,
          new String(
              Arrays.copyOfRange(all, Math.max(0, all.length - TAIL_BYTES), all.length),
              StandardCharsets.UTF_8),
          all.length);
    }

    private static String text(byte[] bytes, int max) {
      return new String(bytes, 0, Math.min(bytes.length, max), StandardCharsets.UTF_8);
    }
  }
}
