package dev.sandbar.workflows.model;

/**
 * Reads a command's stdout and stderr, each from its own offset, at most {@code limit} bytes of
 * each, waiting up to {@code waitMillis} inside the container for either to grow or the command to
 * end.
 */
public record ReadStreams(
    CommandRef ref, long stdoutOffset, long stderrOffset, int limit, long waitMillis) {}
