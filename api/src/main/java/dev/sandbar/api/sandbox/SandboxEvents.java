package dev.sandbar.api.sandbox;

import dev.sandbar.store.audit.SandboxEvent;
import java.util.List;

/** Answer of {@code GET /v1/sandboxes/{id}/events}, oldest first. */
record SandboxEvents(List<SandboxEvent> items) {}
