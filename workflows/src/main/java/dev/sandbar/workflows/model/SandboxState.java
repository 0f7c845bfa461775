package dev.sandbar.workflows.model;

import java.util.Locale;

/** Lifecycle states of a sandbox. The lower-case name is the wire form used by the API. */
public enum SandboxState {
  CREATING,
  STARTING,
  RUNNING,
  PAUSING,
  PAUSED,
  RESUMING,
  STOPPING,
  STOPPED,
  DESTROYING,
  DESTROYED,
  ERROR,
  MISSING;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static SandboxState fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }

  /** States in which an operation is in flight; destroy is allowed from each of them. */
  public boolean isTransient() {
    return switch (this) {
      case CREATING, STARTING, PAUSING, RESUMING, STOPPING, DESTROYING -> true;
      default -> false;
    };
  }
}
