package dev.sandbar.api.operation;

import org.jspecify.annotations.Nullable;

/**
 * An open Sandbar workflow run and what it waits for.
 *
 * @param sandboxId the sandbox it belongs to: its own workflow's, or its parent's for a command
 * @param pendingActivity its longest-pending activity, null if it waits for none
 */
record StuckWorkflow(
    String workflowId,
    String runId,
    String workflowType,
    @Nullable String sandboxId,
    @Nullable PendingActivity pendingActivity) {}
