package dev.sandbar.activities.container;

/**
 * A Docker call failed in a way that another attempt may not (daemon restarting, socket refused,
 * removal already in progress). Deliberately not an {@code ApplicationFailure}: Temporal retries it
 * under the activity's retry policy.
 */
public class DockerOperationException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public DockerOperationException(String message, Throwable cause) {
    super(message, cause);
  }
}
