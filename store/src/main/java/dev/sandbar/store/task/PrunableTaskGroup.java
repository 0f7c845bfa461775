package dev.sandbar.store.task;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Ended tasks of one sandbox past their retention (see {@link TaskDao#findPrunable}).
 *
 * @param hostId the sandbox's host; null when it never had one
 * @param containerGone the sandbox is destroyed or has no row: no container holds its tasks' files
 */
public record PrunableTaskGroup(
    String sandboxId, @Nullable String hostId, boolean containerGone, List<String> taskIds) {}
