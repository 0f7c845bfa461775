package dev.sandbar.workflows.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.model.Operation;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.common.converter.DefaultDataConverter;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Pins the SDK defect {@link RejectionPreservingFailureConverter} works around. When this test
 * fails after a Temporal upgrade, the SDK keeps the validator's failure type by itself: delete the
 * converter and this test.
 */
class SandboxValidatorFailureTypeTest {

  private final SandboxHarness harness = new SandboxHarness(DefaultDataConverter.STANDARD_INSTANCE);

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void withoutTheConverterTheSdkLosesTheRejectionType() {
    SandboxWorkflow sandbox = harness.running(SandboxHarness.spec());

    WorkflowUpdateException rejected =
        catchThrowableOfType(WorkflowUpdateException.class, () -> sandbox.resume(Operation.user()));

    assertThat(rejected.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) rejected.getCause();
    assertThat(failure.getOriginalMessage()).isEqualTo("cannot resume a sandbox that is running");
    assertThat(failure.getType())
        .isEqualTo("io.temporal.internal.worker.WorkflowExecutionException");
  }
}
