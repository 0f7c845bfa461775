package dev.sandbar.store.sandbox;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The row the API inserts before it starts a sandbox's workflow.
 *
 * @param spec the {@code SandboxSpec} as JSON ({@code StoredJson.write})
 * @param labels the spec's labels as a JSON object
 * @param idempotencyHash SHA-256 of the request that came with {@code idempotencyKey}
 */
public record NewSandbox(
    String id,
    String tenantId,
    String image,
    double cpus,
    long memoryMb,
    String spec,
    String labels,
    @Nullable String idempotencyKey,
    Instant createdAt,
    @Nullable String idempotencyHash) {}
