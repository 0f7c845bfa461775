package dev.sandbar.activities.container;

import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.Health;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A Sandbar-managed container found on a host, as read from its labels; what recovery and
 * reconciliation compare against the sandboxes they know.
 *
 * @param exitCode the exit code of an exited container (from Docker's status text), else null
 * @param createdAtMs when Docker created it
 */
public record SandboxContainer(
    String sandboxId,
    String tenantId,
    String containerId,
    ContainerStatus status,
    Integer exitCode,
    long createdAtMs,
    Health health) {

  private static final Pattern EXITED = Pattern.compile("^Exited \\((-?\\d+)\\)");

  /** Docker appends the health check's verdict to a running container's status text. */
  private static final Pattern HEALTH =
      Pattern.compile("\\((healthy|unhealthy|health: starting)\\)\\s*$");

  /** A container whose health was not read (start-up recovery). */
  public SandboxContainer(
      String sandboxId,
      String tenantId,
      String containerId,
      ContainerStatus status,
      Integer exitCode,
      long createdAtMs) {
    this(sandboxId, tenantId, containerId, status, exitCode, createdAtMs, null);
  }

  /**
   * The health in a listing's status text ({@code "Up 2 minutes (unhealthy)"}, {@code "Up 3 seconds
   * (health: starting)"}); {@link Health#NONE} when it names none (no health check).
   */
  static Health healthOf(String statusText) {
    if (statusText == null) {
      return Health.NONE;
    }
    Matcher matcher = HEALTH.matcher(statusText);
    if (!matcher.find()) {
      return Health.NONE;
    }
    return matcher.group(1).startsWith("health:")
        ? Health.STARTING
        : Health.fromWire(matcher.group(1));
  }

  /** The exit code in a listing's status text ({@code "Exited (137) 5 seconds ago"}), or null. */
  static Integer exitCodeOf(String statusText) {
    if (statusText == null) {
      return null;
    }
    Matcher matcher = EXITED.matcher(statusText);
    return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
  }
}
