package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.RUNNING;

import dev.sandbar.workflows.model.SandboxSpec;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.function.BooleanSupplier;

/**
 * The sandbox's two deadlines, its lifetime and its idle timeout, served by one workflow timer: the
 * nearer of the two, re-armed whenever the workflow wakes.
 */
final class SandboxTimers {

  private final SandboxFacts facts;
  private final BooleanSupplier commandsRunning;
  private long activityMarker;

  SandboxTimers(SandboxFacts facts, BooleanSupplier commandsRunning) {
    this.facts = facts;
    this.commandsRunning = commandsRunning;
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
    } else {
      Workflow.await(
          Duration.ofMillis(Math.max(1, deadline - now)),
          () -> work.getAsBoolean() || activityMarker != seen);
    }
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
