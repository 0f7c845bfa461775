package dev.sandbar.api.temporal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.workflows.model.ErrorType;
import io.temporal.failure.ApplicationFailure;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Each workflow failure type has one HTTP meaning, whichever resource ran into it. */
class WorkflowProblemsTest {

  static Stream<Arguments> mappings() {
    return Stream.of(
        Arguments.of(ErrorType.INVALID_STATE.name(), ProblemType.INVALID_STATE, 409),
        Arguments.of(ErrorType.SANDBOX_NOT_RUNNING.name(), ProblemType.SANDBOX_NOT_RUNNING, 409),
        Arguments.of(ErrorType.INVALID_ARGUMENT.name(), ProblemType.VALIDATION, 400),
        Arguments.of(ErrorType.EXPORT_FAILED.name(), ProblemType.EXPORT_FAILED, 500),
        Arguments.of(ErrorType.ARCHIVE_NOT_FOUND.name(), ProblemType.NOT_FOUND, 404),
        Arguments.of(ErrorType.ARCHIVE_CORRUPT.name(), ProblemType.ARCHIVE_CORRUPT, 422),
        Arguments.of(ErrorType.ARCHIVE_UNSAFE.name(), ProblemType.ARCHIVE_UNSAFE, 422),
        Arguments.of(ErrorType.NO_HOST_CAPACITY.name(), ProblemType.OPERATION_FAILED, 500),
        // What SDK 1.38 leaves of a validator's type without the preserving converter.
        Arguments.of(WorkflowProblems.VALIDATOR_REJECTION, ProblemType.INVALID_STATE, 409));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mappings")
  void failureTypeMapsToItsProblem(String type, ProblemType expected, int status) {
    ApiProblem problem =
        WorkflowProblems.problem(ApplicationFailure.newNonRetryableFailure("why", type));

    assertThat(problem.type()).isEqualTo(expected);
    assertThat(problem.type().status().value()).isEqualTo(status);
  }

  @Test
  void failedExportSaysTheOperationWasAbortedAndNothingChanged() {
    assertThat(WorkflowProblems.exportFailed("destroy aborted: export failed: disk full"))
        .isEqualTo("destroy aborted, the sandbox is unchanged: export failed: disk full");
    assertThat(WorkflowProblems.exportFailed("no space"))
        .isEqualTo("no space; the operation was aborted and the sandbox is unchanged");
  }

  @Test
  void theSandbarTypedFailureWinsOverTheSdksWrappers() {
    ApplicationFailure inner =
        ApplicationFailure.newNonRetryableFailure(
            "cannot run a command in a sandbox that is paused",
            ErrorType.SANDBOX_NOT_RUNNING.name());
    ApplicationFailure outer =
        ApplicationFailure.newFailureWithCause("wrapped", "java.lang.RuntimeException", inner);

    assertThat(WorkflowProblems.known(outer))
        .hasValueSatisfying(p -> assertThat(p.type()).isEqualTo(ProblemType.SANDBOX_NOT_RUNNING));
    assertThat(WorkflowProblems.isRejectedForState(outer)).isTrue();
  }

  @Test
  void failuresOfOtherTypesAreNotDescribedToClients() {
    ApplicationFailure internal =
        ApplicationFailure.newFailure("NPE at line 3", "java.lang.NullPointerException");

    assertThat(WorkflowProblems.known(internal)).isEmpty();
  }
}
