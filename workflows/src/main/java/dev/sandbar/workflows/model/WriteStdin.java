package dev.sandbar.workflows.model;

/**
 * Writes to (or, with {@code close}, closes) the stdin of a command started with {@code stdin:
 * true}.
 *
 * @param writeId chosen by the API per request; the write happens at most once per id, so a retried
 *     activity never repeats input
 * @param data the bytes to write, Base64-encoded; empty for a close
 */
public record WriteStdin(CommandRef ref, String writeId, String data, boolean close) {}
