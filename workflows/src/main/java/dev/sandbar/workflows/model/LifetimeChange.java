package dev.sandbar.workflows.model;

/**
 * A new end for a sandbox's lifetime: {@code secondsFromNow} after the moment the workflow applies
 * it (E2B's {@code setTimeout}); with {@code extendOnly}, never earlier than the lifetime already
 * ends (E2B's {@code connect}), and an unlimited lifetime stays unlimited.
 */
public record LifetimeChange(long secondsFromNow, boolean extendOnly) {

  /**
   * The sandbox's {@code ttlSeconds} (counted from its creation) after this change, applied at
   * {@code nowMs} to a sandbox created at {@code createdAtMs} whose lifetime is {@code ttlSeconds}.
   */
  public long ttlSecondsAt(long nowMs, long createdAtMs, long ttlSeconds) {
    long ageSeconds = Math.ceilDiv(Math.max(0, nowMs - createdAtMs), 1000L);
    long wanted = ageSeconds + secondsFromNow;
    if (!extendOnly) {
      return wanted;
    }
    return ttlSeconds == 0 ? 0 : Math.max(ttlSeconds, wanted);
  }
}
