package dev.sandbar.api.e2b.control;

import dev.sandbar.workflows.model.SandboxState;
import java.util.EnumSet;
import java.util.Set;

/**
 * E2B knows two states: {@code running} and {@code paused} (not running, kept, brought back by
 * connect). Sandbar's states fold into them; a destroyed sandbox does not exist for E2B (a 404, as
 * a killed E2B sandbox is).
 */
enum E2bStates {
  /** Running, or on its way there. */
  RUNNING(
      "running",
      EnumSet.of(
          SandboxState.CREATING,
          SandboxState.STARTING,
          SandboxState.RUNNING,
          SandboxState.RESUMING)),
  /**
   * Kept but not running: paused or stopped (connect resumes or starts it), and error or missing
   * (connect starts it again).
   */
  PAUSED(
      "paused",
      EnumSet.of(
          SandboxState.PAUSING,
          SandboxState.PAUSED,
          SandboxState.STOPPING,
          SandboxState.STOPPED,
          SandboxState.ERROR,
          SandboxState.MISSING));

  private final String wire;
  private final Set<SandboxState> sandbarStates;

  E2bStates(String wire, Set<SandboxState> sandbarStates) {
    this.wire = wire;
    this.sandbarStates = sandbarStates;
  }

  String wire() {
    return wire;
  }

  Set<SandboxState> sandbarStates() {
    return sandbarStates;
  }

  /** The E2B state of a sandbox that is not destroyed. */
  static E2bStates of(SandboxState state) {
    return RUNNING.sandbarStates.contains(state) ? RUNNING : PAUSED;
  }

  /** Whether E2B sees the sandbox at all. */
  static boolean visible(SandboxState state) {
    return state != SandboxState.DESTROYED && state != SandboxState.DESTROYING;
  }

  static E2bStates fromWire(String wire) {
    for (E2bStates state : values()) {
      if (state.wire.equals(wire)) {
        return state;
      }
    }
    throw new IllegalArgumentException(wire);
  }
}
