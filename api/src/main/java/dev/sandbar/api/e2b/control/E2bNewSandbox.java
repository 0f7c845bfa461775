package dev.sandbar.api.e2b.control;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Body of E2B's create ({@code POST /e2b/sandboxes}, {@code POST /e2b/v2/sandboxes}): E2B's {@code
 * NewSandbox}, every member its SDK may send, so that none is an unknown field. The members Sandbar
 * cannot honour are refused by name ({@link E2bSandboxRequests}), never silently dropped.
 *
 * @param templateID {@code base} (E2B's default template) for Sandbar's default image, otherwise a
 *     Docker image available on a host
 * @param timeout seconds from now until the sandbox is killed; 300 when absent, as E2B documents
 * @param metadata becomes the sandbox's labels
 * @param envVars becomes the sandbox's environment
 * @param allowInternetAccess {@code false} creates the sandbox without a network
 */
record E2bNewSandbox(
    @Nullable String templateID,
    @Nullable Long timeout,
    @Nullable Boolean autoPause,
    @Nullable Boolean autoPauseMemory,
    @Nullable Object autoResume,
    @Nullable Boolean secure,
    @JsonProperty("allow_internet_access") @Nullable Boolean allowInternetAccess,
    @Nullable Object network,
    @Nullable Map<String, String> metadata,
    @Nullable Map<String, String> envVars,
    @Nullable Object mcp,
    @Nullable Object iam,
    @Nullable List<Object> volumeMounts) {}
