package dev.sandbar.workflows.model;

/**
 * One state change of a sandbox, written to the read model and the audit log in one transaction.
 *
 * @param eventId unique per transition (from {@code Workflow.randomUUID}), so a retried write is a
 *     no-op
 * @param seq increases with every transition of the sandbox; the read model only moves forward
 * @param action what was attempted: the {@link TransitionAction#wire() wire form} of its action
 * @param outcome {@code ok} or {@code failed}: the {@link TransitionOutcome#wire() wire form} of
 *     its outcome
 */
public record Transition(
    String eventId,
    long seq,
    String sandboxId,
    String tenantId,
    String hostId,
    SandboxState from,
    SandboxState to,
    String containerId,
    String error,
    Actor actor,
    String action,
    String reason,
    String outcome,
    long atMs,
    long lastActivityAtMs,
    String archiveId) {}
