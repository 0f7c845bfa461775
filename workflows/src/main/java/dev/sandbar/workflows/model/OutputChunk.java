package dev.sandbar.workflows.model;

/**
 * A slice of a command's combined output log.
 *
 * @param data the bytes read, Base64-encoded (output may be binary)
 * @param nextOffset where the next read starts
 * @param totalBytes the log's size when it was read
 */
public record OutputChunk(String data, long offset, long nextOffset, long totalBytes) {}
