package dev.sandbar.activities.database;

import dev.sandbar.workflows.model.ErrorType;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptor;
import io.temporal.common.interceptors.ActivityInboundCallsInterceptorBase;
import io.temporal.common.interceptors.WorkerInterceptorBase;
import io.temporal.failure.ApplicationFailure;
import java.sql.SQLException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Turns the database's refusals of the data itself into non-retryable failures ({@link
 * ErrorType#DATA_REJECTED}) for every activity of the worker it is installed on. The database
 * activities retry until the database takes the write, which is right while it is away and wrong
 * when it rejects the bytes: that retry would run forever and leave its workflow stuck. With this,
 * the workflow gets the failure at once and records it as its own.
 */
public final class DataErrorInterceptor extends WorkerInterceptorBase {

  /**
   * Integrity violations no retry can satisfy: a NOT NULL, a foreign key to a row that is not
   * there, a CHECK. A unique or exclusion violation ({@code 23505}, {@code 23P01}) is left to the
   * retry: it can come from a concurrent writer, and the retried upsert then finds its row.
   */
  private static final Set<String> PERMANENT_INTEGRITY =
      Set.of("23000", "23001", "23502", "23503", "23514");

  @Override
  public ActivityInboundCallsInterceptor interceptActivity(ActivityInboundCallsInterceptor next) {
    return new ActivityInboundCallsInterceptorBase(next) {
      @Override
      public ActivityOutput execute(ActivityInput input) {
        try {
          return super.execute(input);
        } catch (RuntimeException failure) {
          Optional<SQLException> refusal = dataRefusal(failure);
          if (refusal.isEmpty()) {
            throw failure;
          }
          throw ApplicationFailure.newNonRetryableFailureWithCause(
              "the database rejected the data (SQLState "
                  + refusal.get().getSQLState()
                  + "): "
                  + refusal.get().getMessage(),
              ErrorType.DATA_REJECTED.name(),
              failure);
        }
      }
    };
  }

  /** The SQL failure in {@code failure}'s chain that no retry can fix, if there is one. */
  public static Optional<SQLException> dataRefusal(Throwable failure) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (t instanceof SQLException sql && isPermanent(sql.getSQLState())) {
        return Optional.of(sql);
      }
    }
    return Optional.empty();
  }

  /** SQLState class 22 (data exception) and the permanent members of class 23. */
  static boolean isPermanent(String sqlState) {
    return sqlState != null
        && (sqlState.startsWith("22") || PERMANENT_INTEGRITY.contains(sqlState));
  }
}
