package dev.sandbar.api.e2b.control;

import com.fasterxml.jackson.annotation.JsonInclude;
import java.time.Instant;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * E2B's {@code SandboxDetail} (get) and {@code ListedSandbox} (list, without the access token).
 *
 * @param startedAt when the sandbox was created
 * @param endAt when its lifetime ends and it is killed (Sandbar's {@code ttlSeconds} after
 *     creation); {@link E2bSandboxes#NEVER} for a sandbox created without a lifetime
 * @param cpuCount the CPU limit, rounded up to a whole CPU
 * @param diskSizeMB always 0: Sandbar does not size a sandbox's disk
 * @param metadata the sandbox's labels
 * @param state {@code running} or {@code paused} (see {@link E2bStates})
 * @param envdAccessToken in get answers only
 */
record E2bSandboxDetail(
    String templateID,
    String sandboxID,
    String clientID,
    Instant startedAt,
    Instant endAt,
    String envdVersion,
    @JsonInclude(JsonInclude.Include.NON_NULL) @Nullable String envdAccessToken,
    @Nullable String domain,
    long cpuCount,
    long memoryMB,
    long diskSizeMB,
    Map<String, String> metadata,
    String state) {}
