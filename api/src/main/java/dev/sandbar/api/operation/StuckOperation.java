package dev.sandbar.api.operation;

import dev.sandbar.api.sandbox.SandboxResponse;
import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * An operation in flight for longer than expected: a sandbox in a transient state, or any open
 * Sandbar workflow (a sandbox's, a command's, an archive deletion, a reconciliation) whose pending
 * activity has run for longer than asked.
 *
 * @param sandboxId the sandbox concerned, when the workflow belongs to one (its own workflow or a
 *     command's)
 * @param state the sandbox's state (such as {@code starting}), for the sandbox's own workflow
 * @param since when the sandbox entered that state, or else when the pending activity was first
 *     scheduled
 * @param temporalUiUrl the workflow in the Temporal UI, where the pending activity and its last
 *     failure show why it is stuck
 * @param sandbox the sandbox as the read model has it
 * @param workflowId null only for a sandbox whose workflow Temporal does not know
 * @param runId the open run, null when Temporal knows none
 * @param workflowType such as {@code SandboxWorkflow} or {@code ExecWorkflow}
 * @param pendingActivity the longest-pending activity, null when the workflow waits for none
 */
record StuckOperation(
    @Nullable String sandboxId,
    @Nullable String state,
    Instant since,
    long stuckForSeconds,
    String temporalUiUrl,
    @Nullable SandboxResponse sandbox,
    @Nullable String workflowId,
    @Nullable String runId,
    @Nullable String workflowType,
    @Nullable PendingActivity pendingActivity) {}
