package dev.sandbar.store.auth;

import java.time.Instant;

/** A tenant: the owner of sandboxes and API keys. */
public record Tenant(String id, String name, Instant createdAt) {}
