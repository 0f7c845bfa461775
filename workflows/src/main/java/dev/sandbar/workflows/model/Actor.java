package dev.sandbar.workflows.model;

/**
 * Who caused a transition: a user through the API, Sandbar itself (timers, reconciliation), or the
 * operator through the admin key (a force destroy).
 */
public enum Actor {
  USER,
  SYSTEM,
  ADMIN
}
