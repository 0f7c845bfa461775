package dev.sandbar.workflows.model;

import java.util.Map;

/**
 * Launches a command detached under the wrapper.
 *
 * @param stdin keep the command's stdin open for writes through the API until it is closed (see
 *     {@code TaskStreamActivities#writeStdin})
 */
public record StartCommand(
    CommandRef ref, String command, String cwd, Map<String, String> env, boolean stdin) {

  /** A command whose stdin is not written through the API. */
  public StartCommand(CommandRef ref, String command, String cwd, Map<String, String> env) {
    this(ref, command, cwd, env, false);
  }
}
