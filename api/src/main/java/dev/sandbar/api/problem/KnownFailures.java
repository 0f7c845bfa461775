package dev.sandbar.api.problem;

import java.util.Optional;

/**
 * Describes the failures of a dependency that carry a meaning for clients (a workflow's typed
 * failure, say). The problem handler asks it about a failure no service translated, so that this
 * package need not know the dependency.
 */
@FunctionalInterface
public interface KnownFailures {

  /** The problem {@code failure} means, if it is one this describer knows. */
  Optional<ApiProblem> describe(Throwable failure);
}
