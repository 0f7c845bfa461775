package dev.sandbar.api.problem;

import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.net.ConnectException;
import java.sql.SQLException;
import java.sql.SQLNonTransientConnectionException;
import java.sql.SQLTransientConnectionException;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.jdbi.v3.core.ConnectionException;

/** Reads the cause chains that the Temporal SDK and Jdbi wrap their failures in. */
public final class Failures {

  private Failures() {}

  /**
   * Whether {@code failure} means a dependency (Temporal or PostgreSQL) cannot be reached right
   * now: worth a 503 that invites a retry rather than a 500.
   */
  public static boolean isUnavailable(Throwable failure) {
    return find(failure, Throwable.class, Failures::isUnavailableCause).isPresent();
  }

  /** The first cause of type {@code type} in the chain of {@code failure}, itself included. */
  public static <T extends Throwable> Optional<T> cause(Throwable failure, Class<T> type) {
    return find(failure, type, t -> true);
  }

  /** Every cause of type {@code type} in the chain of {@code failure}, outermost first. */
  public static <T extends Throwable> List<T> causes(Throwable failure, Class<T> type) {
    List<T> found = new ArrayList<>();
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (type.isInstance(t)) {
        found.add(type.cast(t));
      }
    }
    return found;
  }

  /** Whether the chain holds a gRPC status {@code code}. */
  public static boolean hasStatus(Throwable failure, Status.Code code) {
    return find(failure, StatusRuntimeException.class, e -> e.getStatus().getCode() == code)
        .isPresent();
  }

  private static boolean isUnavailableCause(Throwable cause) {
    if (cause instanceof StatusRuntimeException grpc) {
      Status.Code code = grpc.getStatus().getCode();
      return code == Status.Code.UNAVAILABLE || code == Status.Code.DEADLINE_EXCEEDED;
    }
    if (cause instanceof SQLException sql) {
      return sql instanceof SQLTransientConnectionException
          || sql instanceof SQLNonTransientConnectionException
          || (sql.getSQLState() != null && sql.getSQLState().startsWith("08"));
    }
    return cause instanceof ConnectionException || cause instanceof ConnectException;
  }

  private static <T extends Throwable> Optional<T> find(
      Throwable failure, Class<T> type, java.util.function.Predicate<T> test) {
    Map<Throwable, Boolean> seen = new IdentityHashMap<>();
    for (Throwable t = failure; t != null && seen.put(t, true) == null; t = t.getCause()) {
      if (type.isInstance(t) && test.test(type.cast(t))) {
        return Optional.of(type.cast(t));
      }
    }
    return Optional.empty();
  }
}
