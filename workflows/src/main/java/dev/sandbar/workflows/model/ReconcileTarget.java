package dev.sandbar.workflows.model;

/**
 * A host the reconciliation visits, with its state in the hosts table ({@code online}, {@code
 * draining}, {@code unreachable}, {@code offline}).
 */
public record ReconcileTarget(String hostId, String state) {

  public static final String ONLINE = "online";
  public static final String UNREACHABLE = "unreachable";

  public boolean unreachable() {
    return UNREACHABLE.equals(state);
  }
}
