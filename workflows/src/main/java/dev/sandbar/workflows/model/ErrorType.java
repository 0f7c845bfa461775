package dev.sandbar.workflows.model;

/**
 * Failure types carried as the {@code ApplicationFailure} type. Activities raise the permanent ones
 * as non-retryable; the API maps them to HTTP statuses.
 */
public enum ErrorType {
  /** The operation is not valid in the sandbox's current state. */
  INVALID_STATE,
  /** The request named something that cannot work (bad path, bad value). */
  INVALID_ARGUMENT,
  /** The image is not present on the host and cannot be pulled. */
  IMAGE_NOT_FOUND,
  /** Docker refused the container configuration. */
  CONTAINER_CONFIG_REJECTED,
  /** The container vanished under the operation. */
  CONTAINER_GONE,
  /** No online, undrained host has room for the sandbox. */
  NO_HOST_CAPACITY,
  /** The archive could not be written; the destroy that needed it is aborted. */
  EXPORT_FAILED,
  /** The archive failed its checksum or size check. */
  ARCHIVE_CORRUPT,
  /** The archive holds entries that would escape the data path. */
  ARCHIVE_UNSAFE,
  /** The archive does not exist or belongs to another tenant. */
  ARCHIVE_NOT_FOUND,
  /** The sandbox is not running, so it cannot run a command. */
  SANDBOX_NOT_RUNNING,
  /**
   * Reading from a container went over the size or time limit of that read: the container answered
   * with far more, or far later, than Sandbar's own scripts ever produce, so it is not what Sandbar
   * set up (a hostile sandbox), and asking again gives the same answer.
   */
  CONTAINER_READ_LIMIT,
  /**
   * The database refused the data itself (a data exception such as NUL in text, or an integrity
   * rule that no retry can satisfy): retrying writes the same bytes and fails the same way.
   */
  DATA_REJECTED;

  /** Types the retry policies never retry: retrying cannot change the answer. */
  public static String[] permanent() {
    return new String[] {
      INVALID_STATE.name(),
      INVALID_ARGUMENT.name(),
      IMAGE_NOT_FOUND.name(),
      CONTAINER_CONFIG_REJECTED.name(),
      CONTAINER_GONE.name(),
      NO_HOST_CAPACITY.name(),
      ARCHIVE_CORRUPT.name(),
      ARCHIVE_UNSAFE.name(),
      ARCHIVE_NOT_FOUND.name(),
      SANDBOX_NOT_RUNNING.name(),
      CONTAINER_READ_LIMIT.name(),
      DATA_REJECTED.name()
    };
  }
}
