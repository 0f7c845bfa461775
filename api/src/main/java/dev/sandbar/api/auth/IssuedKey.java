package dev.sandbar.api.auth;

import java.time.Instant;

/**
 * A freshly issued API key. The plain {@code key} exists only in this value: the database keeps its
 * SHA-256 hash, so it can be shown once and never again.
 *
 * @param prefix the first characters of the key, stored so an operator can tell keys apart
 */
public record IssuedKey(String id, String key, String tenantId, String prefix, Instant createdAt) {}
