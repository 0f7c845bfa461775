package dev.sandbar.workflows.model;

/**
 * What waiting on a command found.
 *
 * @param state {@code EXITED} (exitCode set), {@code VANISHED} (the process is gone without an exit
 *     code: killed from outside, container stopped) or {@code STALLED} (still running, waiting for
 *     input)
 */
public record CommandOutcome(
    State state,
    Integer exitCode,
    String stdout,
    String stderr,
    boolean truncated,
    String outputTail,
    long outputBytes) {

  public enum State {
    EXITED,
    VANISHED,
    STALLED
  }
}
