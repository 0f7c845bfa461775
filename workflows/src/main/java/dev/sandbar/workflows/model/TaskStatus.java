package dev.sandbar.workflows.model;

import java.util.Locale;

/** Where a command is. The lower-case name is the wire form. */
public enum TaskStatus {
  RUNNING,
  COMPLETED,
  FAILED,
  KILLED,
  TIMED_OUT;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static TaskStatus fromWire(String value) {
    return valueOf(value.toUpperCase(Locale.ROOT));
  }
}
