package dev.sandbar.workflows;

import io.temporal.api.failure.v1.Failure;
import io.temporal.common.converter.DataConverter;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.common.converter.FailureConverter;
import io.temporal.failure.DefaultFailureConverter;
import io.temporal.internal.worker.WorkflowExecutionException;

/**
 * Works around temporalio/sdk-java#2875 (fixed by PR #3001, not in 1.38.0): the SDK wraps an {@code
 * ApplicationFailure} thrown by an update validator in a {@code WorkflowExecutionException} that
 * already holds the serialized failure, then serializes that wrapper again, so the client sees type
 * {@code io.temporal.internal.worker.WorkflowExecutionException} instead of {@code INVALID_STATE}.
 * Answering the held failure is exactly what the fix does. The worker that runs sandbox workflows
 * must use {@link #DATA_CONVERTER} too, or the API cannot tell a rejection by its type; {@code
 * SandboxValidatorFailureTypeTest} fails once the SDK no longer needs this.
 */
public final class RejectionPreservingFailureConverter implements FailureConverter {

  public static final DataConverter DATA_CONVERTER =
      DefaultDataConverter.newDefaultInstance()
          .withFailureConverter(new RejectionPreservingFailureConverter());

  private final FailureConverter delegate = new DefaultFailureConverter();

  @Override
  public RuntimeException failureToException(Failure failure, DataConverter dataConverter) {
    return delegate.failureToException(failure, dataConverter);
  }

  @Override
  public Failure exceptionToFailure(Throwable throwable, DataConverter dataConverter) {
    if (throwable instanceof WorkflowExecutionException wrapped) {
      return wrapped.getFailure();
    }
    return delegate.exceptionToFailure(throwable, dataConverter);
  }
}
