package dev.sandbar.store.host;

import java.time.Instant;

/**
 * One change made to a host, by the operator or by Sandbar: the host's audit trail.
 *
 * @param actor {@code admin} for the operator's key, {@code system} for Sandbar itself
 * @param action what changed, such as {@code drain} or {@code undrain}
 */
public record HostEvent(
    long id, String hostId, String actor, String action, String reason, Instant at) {}
