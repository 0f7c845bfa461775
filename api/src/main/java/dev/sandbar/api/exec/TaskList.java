package dev.sandbar.api.exec;

import java.util.List;

/** Answer of {@code GET /v1/sandboxes/{id}/tasks}, newest first. */
record TaskList(List<TaskResponse> items) {}
