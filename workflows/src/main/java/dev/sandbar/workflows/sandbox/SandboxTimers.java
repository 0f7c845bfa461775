package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.RUNNING;

import dev.sandbar.workflows.model.SandboxSpec;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The sandbox's two deadlines, its lifetime and its idle timeout, served by one workflow timer for
 * the nearer of the two.
 *
 * <p>Every operation and command moves the idle deadline. In the slim history ({@link
 * HistoryShape}) the armed timer is kept while it fires no later than the nearer deadline: when it
 * fires early, the loop finds nothing due and arms one for the rest; only a deadline that moves
 * before it (a shortened lifetime) replaces it, cancelled. Histories recorded before arm a new
 * timer at every wake-up and never cancel the old one, so each fires later as a task of its own.
 */
final class SandboxTimers {

  private final SandboxFacts facts;
  private final BooleanSupplier commandsRunning;
  private final HistoryShape shape;
  private long activityMarker;

  /** The slim history's armed timer, when it fires, and the scope that cancels it. */
  private Promise<Void> timer;

  private long timerFiresAtMs;
  private CancellationScope timerScope;

  SandboxTimers(SandboxFacts facts, BooleanSupplier commandsRunning, HistoryShape shape) {
    this.facts = facts;
    this.commandsRunning = commandsRunning;
    this.shape = shape;
  }

  /** Something happened in the sandbox: the idle timeout starts over. */
  void markActivity() {
    facts.lastActivityAtMs = Workflow.currentTimeMillis();
    wake();
  }

  /** Wakes the waiting loop so it re-arms its timer. */
  void wake() {
    activityMarker++;
  }

  boolean ttlExpired(long now) {
    return spec().ttlSeconds() > 0 && now >= ttlDeadline();
  }

  boolean idleExpired(long now) {
    return idleTimerArmed() && now >= idleDeadline();
  }

  /** Waits until {@code work} holds, something wakes the loop or the nearer deadline is due. */
  void awaitWorkOrDeadline(long now, BooleanSupplier work) {
    long seen = activityMarker;
    long deadline = nextDeadline();
    if (deadline == Long.MAX_VALUE) {
      Workflow.await(() -> work.getAsBoolean() || activityMarker != seen);
    } else if (shape.slim()) {
      Promise<Void> armed = timerFor(now, deadline);
      Workflow.await(() -> work.getAsBoolean() || activityMarker != seen || armed.isCompleted());
    } else {
      Workflow.await(
          Duration.ofMillis(Math.max(1, deadline - now)),
          () -> work.getAsBoolean() || activityMarker != seen);
    }
  }

  /** The armed timer if it fires by {@code deadline}; otherwise a new one, the old cancelled. */
  private Promise<Void> timerFor(long now, long deadline) {
    if (timer != null && !timer.isCompleted() && timerFiresAtMs <= deadline) {
      return timer;
    }
    if (timer != null && !timer.isCompleted()) {
      timerScope.cancel();
    }
    Duration delay = Duration.ofMillis(Math.max(1, deadline - now));
    timerFiresAtMs = now + delay.toMillis();
    timerScope = Workflow.newCancellationScope(() -> timer = Workflow.newTimer(delay));
    timerScope.run();
    return timer;
  }

  private long ttlDeadline() {
    return facts.input.createdAtMs() + spec().ttlSeconds() * 1000;
  }

  /** The idle timer only runs while the sandbox runs and none of its commands do. */
  private boolean idleTimerArmed() {
    return spec().idleTimeoutSeconds() > 0
        && facts.state == RUNNING
        && !commandsRunning.getAsBoolean();
  }

  private long idleDeadline() {
    return facts.lastActivityAtMs + spec().idleTimeoutSeconds() * 1000;
  }

  private long nextDeadline() {
    long next = Long.MAX_VALUE;
    if (spec().ttlSeconds() > 0) {
      next = Math.min(next, ttlDeadline());
    }
    if (idleTimerArmed()) {
      next = Math.min(next, idleDeadline());
    }
    return next;
  }

  private SandboxSpec spec() {
    return facts.input.spec();
  }
}
