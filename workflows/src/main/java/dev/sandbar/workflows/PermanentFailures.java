package dev.sandbar.workflows;

import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;

/** Tells an activity's failure that no retry cures from one a retry may. */
public final class PermanentFailures {

  private static final Set<String> PERMANENT = Set.of(ErrorType.permanent());

  private PermanentFailures() {}

  /** Non-retryable, or of a type the retry policies never retry ({@link ErrorType#permanent}). */
  public static boolean is(RuntimeException failure) {
    return failure instanceof ActivityFailure activity
        && activity.getCause() instanceof ApplicationFailure app
        && (app.isNonRetryable() || PERMANENT.contains(app.getType()));
  }
}
