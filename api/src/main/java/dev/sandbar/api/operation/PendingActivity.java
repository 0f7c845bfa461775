package dev.sandbar.api.operation;

import java.time.Instant;
import org.jspecify.annotations.Nullable;

/**
 * The activity a stuck workflow waits for, as Temporal's describe call reports it.
 *
 * @param activityType such as {@code RecordTransition} or {@code StopContainer}
 * @param state {@code scheduled} (waiting for a worker or for its next retry), {@code started} or
 *     {@code cancel_requested}
 * @param attempt the attempt running or next to run, from 1
 * @param maximumAttempts 0 when its retry policy retries for ever
 * @param since when it was first scheduled (not only its current attempt)
 * @param lastFailure the message of the last attempt's failure
 * @param lastFailureType the failure's type (an exception class, or a Sandbar error type)
 */
record PendingActivity(
    String activityId,
    String activityType,
    String state,
    int attempt,
    int maximumAttempts,
    Instant since,
    @Nullable Instant lastStartedAt,
    @Nullable Instant lastHeartbeatAt,
    @Nullable String lastFailure,
    @Nullable String lastFailureType,
    @Nullable String lastWorkerIdentity) {}
