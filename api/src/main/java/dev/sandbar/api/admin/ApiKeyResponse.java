package dev.sandbar.api.admin;

import dev.sandbar.api.auth.IssuedKey;
import java.time.Instant;

/** A new API key; the only response that ever carries the plain {@code key}. */
record ApiKeyResponse(String id, String key, String tenantId, String prefix, Instant createdAt) {
  static ApiKeyResponse of(IssuedKey key) {
    return new ApiKeyResponse(key.id(), key.key(), key.tenantId(), key.prefix(), key.createdAt());
  }
}
