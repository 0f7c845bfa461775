package dev.sandbar.api.exec;

import dev.sandbar.workflows.model.OutputChunk;

/**
 * A slice of a command's combined output log.
 *
 * @param nextOffset pass as {@code offset} to read on
 * @param totalBytes the log's size when it was read; more may follow while the command runs
 * @param data the bytes read, Base64-encoded (output may be binary)
 */
record OutputResponse(long offset, long nextOffset, long totalBytes, String data) {

  static OutputResponse of(OutputChunk chunk) {
    return new OutputResponse(chunk.offset(), chunk.nextOffset(), chunk.totalBytes(), chunk.data());
  }
}
