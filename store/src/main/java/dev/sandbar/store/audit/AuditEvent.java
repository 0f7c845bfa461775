package dev.sandbar.store.audit;

import java.time.Instant;

/**
 * One row of {@code audit_events}. States are stored in their wire form (lower case), the actor as
 * {@code user} or {@code system}.
 */
public record AuditEvent(
    String id,
    String sandboxId,
    String tenantId,
    long seq,
    String actor,
    String action,
    String fromState,
    String toState,
    String reason,
    String outcome,
    String error,
    Instant at) {}
