package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.ReadStreams;
import dev.sandbar.workflows.model.StreamsChunk;
import dev.sandbar.workflows.model.WriteStdin;
import io.temporal.activity.ActivityInterface;

/**
 * A running command's streams as the API follows them, on the sandbox's host's command-wait queue
 * (virtual threads): a read may wait a moment inside the container for output, and a write may wait
 * for the command to take its input, without taking a slot container calls need.
 */
@ActivityInterface
public interface TaskStreamActivities {

  /**
   * Reads the new bytes of stdout and stderr from the task's files, waiting at most {@code
   * waitMillis} for either to grow or the command to end. Read-only, so any retry is harmless.
   * {@code CONTAINER_GONE} when the container no longer exists.
   */
  StreamsChunk readStreams(ReadStreams request);

  /**
   * Writes to the command's stdin, or closes it. At most once per {@code writeId}: a retry finds
   * the id recorded and does nothing. {@code INVALID_STATE} when the command has ended, was started
   * without {@code stdin}, or its stdin is closed; a close of a closed stdin is success.
   */
  void writeStdin(WriteStdin request);
}
