package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.TaskStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import java.util.Set;

/**
 * How {@link ExecWorkflowImpl} words and slims the results of a command's activities, and the
 * notifications it writes.
 */
final class ExecOutcomes {

  /** The failures of {@code runCommand} that mean the command was never started. */
  static final Set<String> START_REFUSALS =
      Set.of(
          ErrorType.SANDBOX_NOT_RUNNING.name(),
          ErrorType.INVALID_ARGUMENT.name(),
          ErrorType.INVALID_STATE.name());

  /** A command still running, as {@code progress} answers it. */
  static ExecResult running(String taskId, long startedAtMs, boolean stalled) {
    return new ExecResult(
        taskId,
        TaskStatus.RUNNING,
        null,
        null,
        null,
        false,
        null,
        0,
        startedAtMs,
        0,
        stalled,
        null);
  }

  /** The result as the task's end record stores it: without stdout and stderr. */
  static ExecResult withoutStreams(ExecResult result) {
    return new ExecResult(
        result.taskId(),
        result.status(),
        result.exitCode(),
        "",
        "",
        result.truncated(),
        result.outputTail(),
        result.outputBytes(),
        result.startedAtMs(),
        result.endedAtMs(),
        result.stalled(),
        result.error());
  }

  /** A notification to the command's session (workflow code: its id and time are replayed). */
  static Notification notification(
      ExecInput input, String kind, TaskStatus status, Integer exitCode, String message) {
    return new Notification(
        Workflow.randomUUID().toString(),
        input.sandboxId(),
        input.tenantId(),
        input.request().sessionId(),
        input.request().taskId(),
        kind,
        status,
        exitCode,
        message,
        Workflow.currentTimeMillis());
  }

  /** The notification of a background task's end. */
  static Notification completion(ExecInput input, ExecResult result) {
    return notification(
        input,
        "completed",
        result.status(),
        result.exitCode(),
        "task "
            + result.taskId()
            + " "
            + result.status().wire()
            + (result.exitCode() == null ? "" : " with exit code " + result.exitCode()));
  }

  /** Whether a failed run failed as a start does: the command never ran. */
  static boolean refusedToStart(ActivityFailure failure) {
    return failure.getCause() instanceof ApplicationFailure app
        && START_REFUSALS.contains(app.getType());
  }

  /** Why an activity failed, in the words of its cause. */
  static String message(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }

  private ExecOutcomes() {}
}
