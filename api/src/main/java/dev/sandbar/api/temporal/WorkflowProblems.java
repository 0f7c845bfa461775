package dev.sandbar.api.temporal;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.Failures;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.workflows.model.ErrorType;
import io.grpc.Status;
import io.temporal.client.WorkflowNotFoundException;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a Sandbar workflow raised, as the problem a client gets: the one place that translates
 * Temporal's exceptions. Each {@link ErrorType} has one HTTP meaning whichever resource ran into
 * it, so every service and the problem handler map failures here.
 */
public final class WorkflowProblems {

  private static final Logger log = LoggerFactory.getLogger(WorkflowProblems.class);

  /**
   * The type a failure thrown by an update validator arrives with in Temporal SDK 1.38
   * (temporalio/sdk-java#2875): the SDK's internal wrapper, message intact. Validators only reject
   * for the sandbox's state, so this type means a state rejection; once the SDK keeps the real type
   * (or the worker installs a converter that does) this case simply stops occurring.
   */
  static final String VALIDATOR_REJECTION =
      "io.temporal.internal.worker.WorkflowExecutionException";

  /** How the sandbox workflow words an aborted export: {@code destroy aborted: <why>}. */
  private static final Pattern ABORTED = Pattern.compile("(\\w+) aborted: (.+)", Pattern.DOTALL);

  private WorkflowProblems() {}

  /**
   * The failure the workflow raised. The SDK may wrap it in further application failures (typed
   * with an exception class name), so the one carrying a Sandbar {@link ErrorType} wins.
   */
  public static Optional<ApplicationFailure> applicationFailure(Throwable failure) {
    List<ApplicationFailure> failures = Failures.causes(failure, ApplicationFailure.class);
    return failures.stream()
        .filter(f -> errorType(f.getType()).isPresent())
        .findFirst()
        .or(() -> failures.stream().findFirst());
  }

  /** Whether an update validator rejected the request (whatever type the SDK left it). */
  public static boolean isRejectedForState(Throwable failure) {
    return applicationFailure(failure)
        .map(ApplicationFailure::getType)
        .filter(
            type ->
                VALIDATOR_REJECTION.equals(type)
                    || ErrorType.INVALID_STATE.name().equals(type)
                    || ErrorType.SANDBOX_NOT_RUNNING.name().equals(type))
        .isPresent();
  }

  /** Whether the failure carries {@code type}. */
  public static boolean hasType(Throwable failure, ErrorType type) {
    return applicationFailure(failure).filter(f -> type.name().equals(f.getType())).isPresent();
  }

  /** Whether the workflow addressed has ended (or never existed). */
  public static boolean isClosed(Throwable failure) {
    return Failures.cause(failure, WorkflowNotFoundException.class).isPresent()
        || Failures.hasStatus(failure, Status.Code.NOT_FOUND);
  }

  /**
   * The problem for a failure that carries a Sandbar error type (or the validator wrapper), if it
   * does. Failures of any other type are not described to clients: their messages may be internal.
   */
  public static Optional<ApiProblem> known(Throwable failure) {
    return applicationFailure(failure)
        .filter(f -> VALIDATOR_REJECTION.equals(f.getType()) || errorType(f.getType()).isPresent())
        .map(WorkflowProblems::problem);
  }

  /**
   * The problem for {@code failure}. Rejections for the sandbox's state are 409s; a failed export
   * is a 500 that says the operation needing it was aborted and nothing changed; an archive that is
   * missing is a 404, one that is corrupt or unsafe a 422. Anything else is a failed operation
   * whose message the workflow wrote for the user.
   */
  public static ApiProblem problem(ApplicationFailure failure) {
    String message = failure.getOriginalMessage();
    if (VALIDATOR_REJECTION.equals(failure.getType())) {
      return ApiProblem.invalidState(message);
    }
    ErrorType type = errorType(failure.getType()).orElse(null);
    if (type == null) {
      return ApiProblem.of(ProblemType.OPERATION_FAILED, message);
    }
    return switch (type) {
      case INVALID_STATE -> ApiProblem.invalidState(message);
      case SANDBOX_NOT_RUNNING -> ApiProblem.of(ProblemType.SANDBOX_NOT_RUNNING, message);
      case INVALID_ARGUMENT, DATA_REJECTED -> ApiProblem.of(ProblemType.VALIDATION, message);
      case EXPORT_FAILED -> ApiProblem.of(ProblemType.EXPORT_FAILED, exportFailed(message));
      case ARCHIVE_NOT_FOUND -> ApiProblem.notFound(message);
      case ARCHIVE_CORRUPT -> ApiProblem.of(ProblemType.ARCHIVE_CORRUPT, message);
      case ARCHIVE_UNSAFE -> ApiProblem.of(ProblemType.ARCHIVE_UNSAFE, message);
      default -> ApiProblem.of(ProblemType.OPERATION_FAILED, message);
    };
  }

  /**
   * {@code destroy aborted: export failed: disk full} becomes {@code destroy aborted, the sandbox
   * is unchanged: export failed: disk full}: the client must know it can simply retry.
   */
  static String exportFailed(String message) {
    Matcher aborted = ABORTED.matcher(message);
    if (aborted.matches()) {
      return aborted.group(1) + " aborted, the sandbox is unchanged: " + aborted.group(2);
    }
    return message + "; the operation was aborted and the sandbox is unchanged";
  }

  private static Optional<ErrorType> errorType(String type) {
    return Arrays.stream(ErrorType.values()).filter(t -> t.name().equals(type)).findFirst();
  }

  /**
   * Maps what an update, signal or start threw: a rejected or failed operation becomes the matching
   * problem (see {@link #problem}); an unreachable Temporal a 503; anything else goes to the
   * generic handler.
   */
  public static RuntimeException translate(RuntimeException e) {
    if (e instanceof ApiProblem) {
      return e;
    }
    if (e instanceof WorkflowUpdateException update) {
      return applicationFailure(update)
          .map(WorkflowProblems::problem)
          .orElseGet(
              () -> ApiProblem.of(ProblemType.OPERATION_FAILED, "the operation did not complete"));
    }
    if (Failures.isUnavailable(e)) {
      return unavailable(e);
    }
    return e;
  }

  /** The 503 for a Temporal call that failed (an {@link ApiProblem} stays what it is). */
  public static ApiProblem unavailable(RuntimeException e) {
    if (e instanceof ApiProblem problem) {
      return problem;
    }
    log.warn("Temporal call failed", e);
    return ApiProblem.unavailable("Temporal cannot be reached; retry later");
  }
}
