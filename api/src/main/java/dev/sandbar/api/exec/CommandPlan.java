package dev.sandbar.api.exec;

import java.time.Duration;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A validated command request with its defaults applied.
 *
 * @param backgroundAfterSeconds null unless the caller waits only that long before the command goes
 *     on in the background
 * @param stdin keep the command's stdin open for writes through the API
 */
record CommandPlan(
    String command,
    @Nullable String cwd,
    Map<String, String> env,
    long timeoutSeconds,
    @Nullable String sessionId,
    @Nullable String description,
    boolean background,
    @Nullable Long backgroundAfterSeconds,
    boolean stdin) {

  Duration timeout() {
    return Duration.ofSeconds(timeoutSeconds);
  }
}
