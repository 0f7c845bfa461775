package dev.sandbar.workflows;

import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import java.util.Set;
import java.util.function.Supplier;

/** Tells an activity's failure that no retry cures from one a retry may. */
public final class PermanentFailures {

  private static final Set<String> PERMANENT = Set.of(ErrorType.permanent());

  private PermanentFailures() {}

  /**
   * Runs a step as a local activity (a marker in the current workflow task) and, when its quick
   * attempts fail for a reason a retry may cure, as the activity {@code fallback}, which retries as
   * long as it takes and shows among the stuck operations meanwhile. A permanent failure is thrown.
   */
  public static <T> T localFirst(Supplier<T> local, Supplier<T> fallback) {
    try {
      return local.get();
    } catch (ActivityFailure failure) {
      if (is(failure)) {
        throw failure;
      }
      return fallback.get();
    }
  }

  /** Non-retryable, or of a type the retry policies never retry ({@link ErrorType#permanent}). */
  public static boolean is(RuntimeException failure) {
    return failure instanceof ActivityFailure activity
        && activity.getCause() instanceof ApplicationFailure app
        && (app.isNonRetryable() || PERMANENT.contains(app.getType()));
  }
}
