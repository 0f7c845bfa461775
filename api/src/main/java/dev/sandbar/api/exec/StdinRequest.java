package dev.sandbar.api.exec;

import org.jspecify.annotations.Nullable;

/**
 * Body of {@code POST /v1/sandboxes/{id}/tasks/{taskId}/stdin}.
 *
 * @param data what to write: text, or Base64 with {@code encoding: base64}; at most 64 KiB of bytes
 * @param encoding {@code utf8} (the default) or {@code base64}
 */
record StdinRequest(@Nullable String data, @Nullable String encoding) {}
