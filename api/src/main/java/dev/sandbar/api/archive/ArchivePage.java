package dev.sandbar.api.archive;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One page of {@code GET /v1/archives}, newest first.
 *
 * @param nextCursor pass as {@code cursor} to get the next (older) page; null on the last page
 */
record ArchivePage(List<ArchiveResponse> items, @Nullable String nextCursor) {}
