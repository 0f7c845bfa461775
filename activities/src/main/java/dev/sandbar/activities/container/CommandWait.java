package dev.sandbar.activities.container;

import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import io.temporal.activity.ActivityExecutionContext;
import io.temporal.client.ActivityCanceledException;
import java.time.Duration;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The wait for a command to end: a series of short polling execs (see {@code probe.sh}), every
 * {@link #FIRST_POLL_INTERVAL} at first, backing off to {@link #MAX_POLL_INTERVAL}, each followed
 * by a heartbeat. It ends when the command has an exit code, when neither the command nor its
 * wrapper is alive any more, when {@link StallWatch} sees a stall, or when the container stops. It
 * only reads, so any number of waits may run at once.
 */
record CommandWait(DockerExec exec, OutcomeCollector outcomes, CommandKiller killer) {

  private static final Logger log = LoggerFactory.getLogger(CommandWait.class);

  /** First pause between polls: short commands are answered almost at once. */
  static final Duration FIRST_POLL_INTERVAL = Duration.ofMillis(50);

  /** Longest pause between polls: bounds how late an exit is noticed and heartbeats go out. */
  static final Duration MAX_POLL_INTERVAL = Duration.ofSeconds(1);

  /**
   * How long one poll may take before it is given up and asked again: well below the wait's
   * heartbeat timeout (10 s), so a loaded daemon never lets the heartbeat lapse (a lapsed one hands
   * the wait to a new attempt for no reason).
   */
  static final Duration PROBE_TIME_LIMIT = Duration.ofSeconds(4);

  /** What one poll saw. {@code tail} is empty unless the poll was deep. */
  private record Probe(
      Integer exitCode,
      long outputBytes,
      boolean groupAlive,
      boolean wrapperAlive,
      boolean taskKnown,
      boolean readingStdin,
      byte[] tail) {}

  /** Polls until the command's end, heartbeating {@link WaitProgress} on {@code context}. */
  CommandOutcome await(ActivityExecutionContext context, AwaitCommand request, String container) {
    CommandRef ref = request.ref();
    int maxStreamBytes = Math.max(0, request.maxStreamBytes());
    StallWatch stall =
        new StallWatch(
            request.stallSeconds(),
            request.stallReported(),
            context.getHeartbeatDetails(WaitProgress.class),
            now());
    long interval = FIRST_POLL_INTERVAL.toMillis();
    boolean endSeenOnce = false;
    while (true) {
      long polledAt = now();
      boolean deep = stall.wantsDeepLook(polledAt);
      Probe probe;
      try {
        // Empty when the daemon was too slow to answer: heartbeat and ask again.
        probe = probe(container, ref, deep).orElse(null);
      } catch (ContainerUnavailable e) {
        Optional<CommandOutcome> ended = outcomeWithoutExec(container, ref, maxStreamBytes, e);
        if (ended.isPresent()) {
          return ended.get();
        }
        probe = null;
      }
      if (probe != null) {
        if (probe.exitCode() != null) {
          return outcomes.collect(
              container, ref, CommandOutcome.State.EXITED, probe.exitCode(), maxStreamBytes);
        }
        if (!probe.groupAlive() && !probe.wrapperAlive()) {
          // Looked at twice: one poll could land between the group's end and the rename of the
          // exit file if the wrapper check raced with its own exit.
          if (endSeenOnce || !probe.taskKnown()) {
            log.warn("task {} in {} ended without an exit code", ref.taskId(), container);
            return outcomes.collect(
                container, ref, CommandOutcome.State.VANISHED, null, maxStreamBytes);
          }
          endSeenOnce = true;
        } else {
          endSeenOnce = false;
        }
        if (stall.stalled(
            probe.outputBytes(),
            deep,
            probe.groupAlive(),
            probe.readingStdin(),
            probe.tail(),
            polledAt)) {
          log.info("task {} in {} looks stalled on input", ref.taskId(), container);
          return outcomes.collect(container, ref, CommandOutcome.State.STALLED, null, 0);
        }
      }
      heartbeat(context, stall.progress(), container, ref);
      DockerExec.pause(endSeenOnce ? FIRST_POLL_INTERVAL.toMillis() : interval);
      interval = Math.min(MAX_POLL_INTERVAL.toMillis(), interval * 3 / 2);
    }
  }

  private Optional<Probe> probe(String container, CommandRef ref, boolean deep) {
    Optional<DockerExec.Result> answered =
        exec.tryRun(
            PROBE_TIME_LIMIT,
            container,
            DockerExec.HEADER_BYTES + StallWatch.PROMPT_TAIL_BYTES,
            ContainerScripts.PROBE,
            ref.taskDir(),
            deep ? "deep" : "shallow",
            Integer.toString(StallWatch.PROMPT_TAIL_BYTES));
    if (answered.isEmpty()) {
      return Optional.empty();
    }
    DockerExec.Result out = answered.get();
    ScriptOutput header = ScriptOutput.parse(out.stdout(), 6);
    String exit = header.field(0);
    Integer exitCode;
    try {
      exitCode = exit.equals("-") ? null : Integer.valueOf(exit);
    } catch (NumberFormatException e) {
      // The exit file is renamed into place whole, so this is foreign content: treat as unknown.
      log.warn("task {} in {} has an unreadable exit file: {}", ref.taskId(), container, exit);
      exitCode = null;
    }
    return Optional.of(
        new Probe(
            exitCode,
            header.number(1),
            header.flag(2),
            header.flag(3),
            header.flag(4),
            header.flag(5),
            header.rest(out.stdout())));
  }

  /**
   * The end of a wait when the container cannot run an exec: empty while it is paused (its
   * processes are frozen, not gone, so keep waiting), otherwise what its files say.
   */
  private Optional<CommandOutcome> outcomeWithoutExec(
      String container, CommandRef ref, int maxStreamBytes, ContainerUnavailable cause) {
    if (cause.gone()) {
      log.warn("container {} is gone; task {} vanished with it", container, ref.taskId());
      return Optional.of(
          new CommandOutcome(CommandOutcome.State.VANISHED, null, "", "", false, "", 0));
    }
    if (exec.isPaused(container)) {
      return Optional.empty();
    }
    // Stopped: its processes are gone, but its file system still says how the command ended.
    Optional<Integer> exit = outcomes.recordedExit(container, ref);
    CommandOutcome.State state =
        exit.isPresent() ? CommandOutcome.State.EXITED : CommandOutcome.State.VANISHED;
    return Optional.of(
        outcomes.collectArchived(container, ref, state, exit.orElse(null), maxStreamBytes));
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
        killer.kill(container, ref);
      } catch (RuntimeException killFailed) {
        e.addSuppressed(killFailed);
      }
      throw e;
    }
  }

  private static long now() {
    return System.currentTimeMillis();
  }
}
