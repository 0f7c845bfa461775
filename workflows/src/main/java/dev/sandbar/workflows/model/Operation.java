package dev.sandbar.workflows.model;

/** An operation on a sandbox (start, stop, pause, resume, restart) and who asked for it. */
public record Operation(Actor actor, String reason) {
  public static Operation user() {
    return new Operation(Actor.USER, null);
  }
}
