package dev.sandbar.standalone.bench;

/**
 * Epoch milliseconds with sub-millisecond steps: the wall clock (which the embedded Temporal
 * service stamps history events with) read once, then advanced by the monotonic clock.
 */
final class Clock {

  private static final long EPOCH_MS = System.currentTimeMillis();
  private static final long NANOS = System.nanoTime();

  private Clock() {}

  static double nowMs() {
    return EPOCH_MS + (System.nanoTime() - NANOS) / 1e6;
  }
}
