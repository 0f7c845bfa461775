package dev.sandbar.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.Placement;
import io.temporal.failure.ApplicationFailure;

/** How the store tests expect a placement with no host to fail: for good, as no capacity. */
final class RefusedPlacement {

  private RefusedPlacement() {}

  /** Places {@code placement}, asserts it is refused for want of a host, answers the failure. */
  static ApplicationFailure of(JdbiStoreActivities store, Placement placement) {
    ApplicationFailure failure =
        catchThrowableOfType(ApplicationFailure.class, () -> store.placeSandbox(placement));
    assertThat(failure).as("placement of " + placement.sandboxId() + " is refused").isNotNull();
    assertThat(failure.getType()).isEqualTo(ErrorType.NO_HOST_CAPACITY.name());
    assertThat(failure.isNonRetryable()).isTrue();
    return failure;
  }
}
