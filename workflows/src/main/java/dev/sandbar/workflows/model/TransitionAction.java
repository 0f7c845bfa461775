package dev.sandbar.workflows.model;

/**
 * What a transition attempted. {@link #wire()} is the form the read model, the audit log and the
 * API store and show; it never changes, so saved histories and stored rows keep their meaning.
 */
public enum TransitionAction {
  CREATE("create"),
  START("start"),
  STOP("stop"),
  PAUSE("pause"),
  RESUME("resume"),
  RESTART("restart"),
  DESTROY("destroy"),
  SNAPSHOT("snapshot"),
  RESTORE("restore"),
  /** Adopting what the host reports (start-up recovery). */
  RECONCILE("reconcile"),
  /** The idle timer stopping a sandbox (an idle pause is recorded as a plain pause). */
  IDLE_STOP("idle-stop"),
  /** Moving to another host through preserve-and-restore (a drained host's evacuation). */
  MOVE("move");

  private final String wire;

  TransitionAction(String wire) {
    this.wire = wire;
  }

  public String wire() {
    return wire;
  }
}
