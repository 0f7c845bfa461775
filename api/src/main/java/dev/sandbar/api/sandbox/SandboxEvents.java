package dev.sandbar.api.sandbox;

import java.util.List;

/** Answer of {@code GET /v1/sandboxes/{id}/events}, oldest first. */
record SandboxEvents(List<SandboxEvent> items) {}
