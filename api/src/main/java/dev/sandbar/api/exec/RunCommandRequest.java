package dev.sandbar.api.exec;

import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/sandboxes/{id}/exec}. {@link CommandValidator} applies the defaults and
 * the limits.
 *
 * @param command a shell string, run as {@code sh -c command}
 * @param cwd absolute working directory; the container's default when absent
 * @param timeoutSeconds the limit after which the command's process tree is killed: 30 by default
 *     and at most 600 in the foreground; the background limit by default and at most for a
 *     background command (or one that may become one through {@code backgroundAfterSeconds})
 * @param sessionId the session whose notifications report a background command's end
 * @param background answer at once with the task id instead of waiting for the command
 * @param backgroundAfterSeconds wait this long for the command, then let it go on in the background
 *     and answer with the task id
 * @param stdin keep the command's stdin open for {@code POST .../tasks/{taskId}/stdin} until {@code
 *     .../stdin/close}; without it the command's stdin never delivers anything and never ends
 */
record RunCommandRequest(
    @Nullable String command,
    @Nullable String cwd,
    @Nullable Map<String, String> env,
    @Nullable Long timeoutSeconds,
    @Nullable String sessionId,
    @Nullable String description,
    @Nullable Boolean background,
    @Nullable Long backgroundAfterSeconds,
    @Nullable Boolean stdin) {}
