package dev.sandbar.activities.container;

import dev.sandbar.workflows.model.ContainerStatus;
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
    long createdAtMs) {

  private static final Pattern EXITED = Pattern.compile("^Exited \\((-?\\d+)\\)");

  /** The exit code in a listing's status text ({@code "Exited (137) 5 seconds ago"}), or null. */
  static Integer exitCodeOf(String statusText) {
    if (statusText == null) {
      return null;
    }
    Matcher matcher = EXITED.matcher(statusText);
    return matcher.find() ? Integer.valueOf(matcher.group(1)) : null;
  }
}
