package dev.sandbar.api.operation;

import dev.sandbar.api.sandbox.SandboxResponse;
import java.time.Instant;

/**
 * A sandbox whose operation has been in flight for longer than expected.
 *
 * @param state the transient state it is in, such as {@code starting}
 * @param since when it entered that state
 * @param temporalUiUrl the sandbox's workflow in the Temporal UI, where the pending activity and
 *     its last failure show why it is stuck
 */
record StuckOperation(
    String sandboxId,
    String state,
    Instant since,
    long stuckForSeconds,
    String temporalUiUrl,
    SandboxResponse sandbox) {}
