package dev.sandbar.activities.container;

/**
 * The container cannot run an exec: it is gone, or it is not running (stopped, paused). Raised by
 * {@link DockerExec}; every caller turns it into an outcome or a typed failure, so it never leaves
 * an activity.
 */
final class ContainerUnavailable extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final boolean gone;

  ContainerUnavailable(boolean gone, String container, Throwable cause) {
    super(
        "container "
            + container
            + (gone ? " does not exist" : " is not running")
            + ": "
            + cause.getMessage(),
        cause);
    this.gone = gone;
  }

  /** True when the container does not exist, false when it exists but does not run. */
  boolean gone() {
    return gone;
  }

  /** {@code CONTAINER_GONE} or {@code SANDBOX_NOT_RUNNING}. */
  RuntimeException toFailure(String container) {
    return gone
        ? DockerFailures.containerGone(container, this)
        : DockerFailures.notRunning(container, this);
  }
}
