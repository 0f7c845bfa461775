package dev.sandbar.store.sandbox;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * What a tenant's idempotency key is bound to: the sandbox it created, the hash of the request that
 * created it and the answer that request got (null until it was answered, or for a row written
 * before keys were bound to requests).
 */
public record IdempotentCreate(
    String sandboxId, @Nullable String requestHash, @Nullable String response, Instant createdAt) {}
