package dev.sandbar.workflows.model;

import java.util.List;

/**
 * Ended tasks of one sandbox past their retention, as the pruner deletes them: their files in the
 * container first, then their rows.
 *
 * @param hostId the sandbox's host; null when it never had one
 * @param containerGone the sandbox is destroyed (or unknown): no container holds files to remove
 */
public record PrunableTasks(
    String sandboxId, String hostId, boolean containerGone, List<String> taskIds) {}
