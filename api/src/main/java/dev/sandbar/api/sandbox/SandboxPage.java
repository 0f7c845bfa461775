package dev.sandbar.api.sandbox;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code GET /v1/sandboxes}, oldest first.
 *
 * @param nextCursor pass as {@code cursor} to get the next page; null on the last page
 */
public record SandboxPage(List<SandboxResponse> items, @Nullable String nextCursor) {}
