package dev.sandbar.workflows.model;

import java.util.Locale;

/** How a transition's attempt ended; {@link #wire()} is the stored form. */
public enum TransitionOutcome {
  OK,
  FAILED;

  public String wire() {
    return name().toLowerCase(Locale.ROOT);
  }
}
