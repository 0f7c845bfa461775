package dev.sandbar.workflows.model;

/** Who caused a transition: a user through the API, or Sandbar itself (timers, reconciliation). */
public enum Actor {
  USER,
  SYSTEM
}
