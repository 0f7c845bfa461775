package dev.sandbar.workflows.model;

/**
 * What one host's warm pool keeps: {@code size} started containers of {@code image}, checked every
 * {@code checkSeconds} and right after each claim. A size of 0 empties the pool.
 */
public record PoolSettings(String hostId, String image, int size, long checkSeconds) {

  public PoolSettings {
    size = Math.max(0, size);
    checkSeconds = checkSeconds <= 0 ? 30 : checkSeconds;
  }
}
