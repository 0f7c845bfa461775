package dev.sandbar.activities.container;

/**
 * What a waiting attempt heartbeats, so the next attempt (after a worker crash) continues stall
 * tracking instead of starting the silence over.
 *
 * @param outputBytes the log's size when last polled
 * @param lastGrowthAtMillis wall-clock time the log last changed size; the next attempt runs on the
 *     same host, so the same clock
 */
public record WaitProgress(long outputBytes, long lastGrowthAtMillis) {}
