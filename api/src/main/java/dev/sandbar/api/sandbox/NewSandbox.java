package dev.sandbar.api.sandbox;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The row the API inserts before it starts a sandbox's workflow. Public only because Jdbi binds its
 * accessors reflectively.
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
    Instant createdAt) {}
