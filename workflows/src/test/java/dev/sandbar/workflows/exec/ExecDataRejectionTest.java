package dev.sandbar.workflows.exec;

import static dev.sandbar.workflows.exec.ExecHarness.request;
import static dev.sandbar.workflows.exec.ExecHarness.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.sandbar.workflows.model.ErrorType;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A task row the database refuses for its data ends the command's workflow at once, with the
 * failure in its history: no retry of the write, and no command started that no row would show.
 */
class ExecDataRejectionTest {

  private final ExecHarness harness = new ExecHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  /** Thrown as retryable: only the retry policy's list of permanent types stops the retry. */
  @Test
  void aRejectedTaskRowFailsTheWorkflowOnceWithoutStartingTheCommand() {
    doThrow(
            ApplicationFailure.newFailure(
                "the database rejected the data (SQLState 22021)", ErrorType.DATA_REJECTED.name()))
        .when(harness.store)
        .recordTask(any());

    ExecWorkflow exec = harness.start(request());
    WorkflowFailedException failed =
        catchThrowableOfType(WorkflowFailedException.class, () -> result(exec));

    assertThat(failed).isNotNull();
    assertThat(failed.getCause()).isInstanceOf(ActivityFailure.class);
    assertThat(failed.getCause().getCause())
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            application ->
                assertThat(application.getType()).isEqualTo(ErrorType.DATA_REJECTED.name()));
    verify(harness.store, times(1)).recordTask(any());
    verify(harness.commands, never()).startCommand(any());
  }
}
