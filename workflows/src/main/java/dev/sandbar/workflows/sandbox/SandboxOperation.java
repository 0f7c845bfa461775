package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.MISSING;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;

import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.TransitionAction;
import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * The sandbox's transition table: for each operation the workflow queues, the states it may run
 * from, the state it leads to and the action it is audited as. The update validators, the execution
 * loop and the projection all read this one table.
 */
enum SandboxOperation {
  START("start", TransitionAction.START, RUNNING, EnumSet.of(STOPPED, ERROR, MISSING)),
  STOP("stop", TransitionAction.STOP, STOPPED, EnumSet.of(RUNNING, PAUSED)),
  PAUSE("pause", TransitionAction.PAUSE, PAUSED, EnumSet.of(RUNNING)),
  RESUME("resume", TransitionAction.RESUME, RUNNING, EnumSet.of(PAUSED)),
  /** Stop then start of the same container. */
  RESTART(
      "restart", TransitionAction.RESTART, RUNNING, EnumSet.of(RUNNING, PAUSED, STOPPED, ERROR)),
  /** From every state but destroyed, including error and the transient states. */
  DESTROY(
      "destroy", TransitionAction.DESTROY, DESTROYED, EnumSet.complementOf(EnumSet.of(DESTROYED))),
  /** Leaves the sandbox as it was; a validator rejects it as "cannot archive ...". */
  SNAPSHOT("archive", TransitionAction.SNAPSHOT, null, EnumSet.of(RUNNING, PAUSED, STOPPED)),
  /**
   * To another host, data and state kept: running stays running, paused paused, stopped stopped.
   */
  MOVE("move", TransitionAction.MOVE, null, EnumSet.of(RUNNING, PAUSED, STOPPED)),
  /**
   * Moves the end of the sandbox's lifetime; from every state but destroyed. Records no transition
   * (the state does not change), so it has no action.
   */
  LIFETIME("change the lifetime of", null, null, EnumSet.complementOf(EnumSet.of(DESTROYED))),
  /** Adopting what the host reports; only between operations, never over a destroyed sandbox. */
  SYNC("sync", TransitionAction.RECONCILE, null, settled());

  private final String verb;
  private final TransitionAction action;
  private final SandboxState leadsTo;
  private final Set<SandboxState> allowedFrom;

  SandboxOperation(
      String verb, TransitionAction action, SandboxState leadsTo, Set<SandboxState> allowedFrom) {
    this.verb = verb;
    this.action = action;
    this.leadsTo = leadsTo;
    this.allowedFrom = allowedFrom;
  }

  TransitionAction action() {
    return action;
  }

  boolean allowedFrom(SandboxState state) {
    return allowedFrom.contains(state);
  }

  /** Where the sandbox will be once this operation has run after {@code projected}. */
  SandboxState project(SandboxState projected) {
    return leadsTo == null ? projected : leadsTo;
  }

  /** The update validator: rejects the operation unless it is allowed from {@code judged}. */
  void validate(SandboxState judged) {
    if (!allowedFrom(judged)) {
      throw invalidState(verb, judged);
    }
  }

  /** The answer of an operation accepted, but no longer allowed when its turn came. */
  ApplicationFailure refusal(SandboxState current) {
    return invalidState(name().toLowerCase(Locale.ROOT), current);
  }

  private static ApplicationFailure invalidState(String operation, SandboxState current) {
    return ApplicationFailure.newNonRetryableFailure(
        "cannot " + operation + " a sandbox that is " + current.wire(),
        ErrorType.INVALID_STATE.name());
  }

  private static Set<SandboxState> settled() {
    EnumSet<SandboxState> settled = EnumSet.noneOf(SandboxState.class);
    Arrays.stream(SandboxState.values())
        .filter(state -> !state.isTransient() && state != DESTROYED)
        .forEach(settled::add);
    return settled;
  }
}
