package dev.sandbar.store.audit;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * One audit event of a sandbox as the API shows it: Jdbi maps {@code audit_events} rows straight
 * into it.
 *
 * @param actor {@code user} or {@code system}
 * @param outcome {@code ok} or {@code failed}
 */
public record SandboxEvent(
    long seq,
    Instant at,
    String actor,
    String action,
    @Nullable String fromState,
    String toState,
    @Nullable String reason,
    String outcome,
    @Nullable String error) {}
