package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.InvalidField;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.api.temporal.CommandExecution;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.api.temporal.WorkflowProblems;
import dev.sandbar.store.task.TaskDao;
import dev.sandbar.store.task.TaskRow;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.TaskStatus;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * A sandbox's commands as tasks: read from the {@code exec_tasks} read model, and killed through
 * their {@link ExecWorkflow}.
 */
@Service
class TaskService {

  private static final Logger log = LoggerFactory.getLogger(TaskService.class);

  static final int DEFAULT_LIST_SIZE = 100;
  static final int MAX_LIST_SIZE = 500;

  /** How long a kill waits for the workflow to confirm it; the answer says if it did not. */
  static final Duration KILL_WAIT = Duration.ofSeconds(15);

  private final TaskDao dao;
  private final TemporalGateway temporal;
  private final SandboxQueries sandboxes;

  TaskService(Jdbi jdbi, TemporalGateway temporal, SandboxQueries sandboxes) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(TaskDao.class);
    this.temporal = temporal;
    this.sandboxes = sandboxes;
  }

  TaskList list(
      String tenantId,
      String sandboxId,
      @Nullable String sessionId,
      @Nullable String status,
      @Nullable Integer limit) {
    List<InvalidField> errors = new ArrayList<>();
    int size = limit == null ? DEFAULT_LIST_SIZE : limit;
    if (size < 1 || size > MAX_LIST_SIZE) {
      errors.add(new InvalidField("limit", "must be between 1 and " + MAX_LIST_SIZE));
    }
    if (status != null && !isTaskStatus(status)) {
      errors.add(
          new InvalidField(
              "status", "must be one of running, completed, failed, killed, timed_out"));
    }
    if (sessionId != null && !sessionId.isEmpty() && !CommandValidator.isSessionId(sessionId)) {
      errors.add(new InvalidField("sessionId", CommandValidator.sessionIdRule()));
    }
    if (!errors.isEmpty()) {
      throw ApiProblem.invalid(errors);
    }
    sandboxes.get(tenantId, sandboxId);
    return new TaskList(
        dao.list(tenantId, sandboxId, sessionId, status, size).stream()
            .map(TaskResponse::of)
            .toList());
  }

  TaskResponse get(String tenantId, String sandboxId, String taskId) {
    return TaskResponse.of(requireTask(tenantId, sandboxId, taskId));
  }

  /**
   * Kills a running command by cancelling its workflow, which kills the process group, and waits a
   * bounded time for the workflow to record the end. An ended task is answered as it is.
   */
  TaskRow kill(String tenantId, String sandboxId, String taskId) {
    TaskRow task = requireTask(tenantId, sandboxId, taskId);
    if (!task.isRunning()) {
      return task;
    }
    CommandExecution execution = temporal.command(ExecWorkflow.workflowId(sandboxId, taskId));
    try {
      execution.cancel();
    } catch (RuntimeException e) {
      if (!WorkflowProblems.isClosed(e)) {
        throw e;
      }
      // Ended on its own meanwhile; the row says how.
    }
    try {
      execution.result(KILL_WAIT);
    } catch (TimeoutException e) {
      log.warn("task {} did not confirm its kill within {}", taskId, KILL_WAIT);
    } catch (WorkflowFailedException e) {
      if (!(e.getCause() instanceof CanceledFailure)) {
        log.warn("workflow of task {} failed while being killed", taskId, e);
      }
      // Cancelled is how a killed command's workflow ends, its end recorded first.
    }
    return dao.find(tenantId, sandboxId, taskId).orElse(task);
  }

  /** A task another tenant owns, or of another sandbox, is reported like a missing one. */
  TaskRow requireTask(String tenantId, String sandboxId, String taskId) {
    sandboxes.get(tenantId, sandboxId);
    return dao.find(tenantId, sandboxId, taskId)
        .orElseThrow(() -> ApiProblem.notFound("task " + taskId + " not found"));
  }

  private static boolean isTaskStatus(String status) {
    return Arrays.stream(TaskStatus.values()).anyMatch(s -> s.wire().equals(status));
  }
}
