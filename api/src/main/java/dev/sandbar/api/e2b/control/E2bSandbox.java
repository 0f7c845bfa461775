package dev.sandbar.api.e2b.control;

import org.jspecify.annotations.Nullable;

/**
 * E2B's {@code Sandbox}, the answer of create and connect: what the SDK needs to reach the sandbox.
 *
 * @param clientID deprecated in E2B; always {@code sandbar}
 * @param envdAccessToken the per-sandbox token the in-sandbox protocol ({@code /e2b/sandbox})
 *     checks
 * @param trafficAccessToken always null: Sandbar does not proxy sandbox ports
 * @param domain always null: the SDK reaches the sandbox through {@code E2B_SANDBOX_URL}
 */
record E2bSandbox(
    String templateID,
    String sandboxID,
    String clientID,
    String envdVersion,
    String envdAccessToken,
    @Nullable String trafficAccessToken,
    @Nullable String domain) {}
