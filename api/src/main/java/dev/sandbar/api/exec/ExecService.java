package dev.sandbar.api.exec;

import dev.sandbar.api.config.RandomIds;
import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.Failures;
import dev.sandbar.api.problem.InvalidField;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.problem.WorkflowProblems;
import dev.sandbar.api.sandbox.SandboxResponse;
import dev.sandbar.api.sandbox.SandboxService;
import dev.sandbar.store.task.TaskDao;
import dev.sandbar.store.task.TaskRow;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.exec.TaskOutputWorkflow;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.ExecTicket;
import dev.sandbar.workflows.model.ReadOutput;
import dev.sandbar.workflows.model.ReadOutputInput;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.TaskStatus;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Commands in a tenant's sandboxes. Starting one goes through the sandbox's workflow (which knows
 * whether the sandbox runs); the command itself is an {@link ExecWorkflow} that the API waits on,
 * signals or cancels. Task reads come from the {@code exec_tasks} read model.
 */
@Service
class ExecService {

  private static final Logger log = LoggerFactory.getLogger(ExecService.class);

  static final int DEFAULT_LIST_SIZE = 100;
  static final int MAX_LIST_SIZE = 500;
  static final int DEFAULT_READ_BYTES = 64 * 1024;
  static final int MAX_READ_BYTES = 1024 * 1024;

  /**
   * Waited beyond a foreground command's own limit: the workflow's timer kills the command at the
   * limit, then it still kills the process group (TERM, a grace, KILL) and records the end.
   */
  static final Duration RESULT_MARGIN = Duration.ofSeconds(10);

  /** How long a kill waits for the workflow to confirm it; the answer says if it did not. */
  static final Duration KILL_WAIT = Duration.ofSeconds(15);

  /**
   * How long a background start waits for the task's first row, so that a client reading or killing
   * the task right after the answer finds it. The workflow writes that row first thing.
   */
  static final Duration VISIBILITY_WAIT = Duration.ofSeconds(10);

  /** Bounds one output read: a dead host fails it instead of holding the request. */
  static final Duration OUTPUT_READ_TIMEOUT = Duration.ofSeconds(60);

  /** How long a result is fetched once the workflow is known to have ended. */
  private static final Duration ENDED_RESULT_WAIT = Duration.ofSeconds(5);

  private static final String DETACH_SIGNAL = "detach";

  private final TaskDao dao;
  private final WorkflowClient temporal;
  private final SandboxService sandboxes;
  private final SandbarApiProperties properties;

  ExecService(
      Jdbi jdbi,
      WorkflowClient temporal,
      SandboxService sandboxes,
      SandbarApiProperties properties) {
    this.dao = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(TaskDao.class);
    this.temporal = temporal;
    this.sandboxes = sandboxes;
    this.properties = properties;
  }

  /**
   * Runs a command. A background command is answered with its ticket at once; a foreground one with
   * its result, or, when {@code backgroundAfterSeconds} passes first, with its ticket while the
   * same process goes on in the background.
   */
  ExecAnswer run(String tenantId, String sandboxId, @Nullable RunCommandRequest body) {
    if (body == null) {
      throw ApiProblem.invalid("command", "must not be empty");
    }
    CommandPlan plan = CommandValidator.validate(body, properties.execBackgroundLimitSeconds());
    // The task id names files in the container and a workflow: never taken from the request.
    String taskId = RandomIds.lowerAlphanumeric("t-", 24);
    ExecRequest request =
        new ExecRequest(
            taskId,
            plan.command(),
            plan.cwd(),
            plan.env(),
            plan.timeoutSeconds(),
            plan.sessionId(),
            plan.description(),
            plan.background(),
            properties.execStallSeconds());
    ExecTicket ticket = sandboxes.exec(tenantId, sandboxId, request);
    if (plan.background()) {
      return started(tenantId, sandboxId, ticket);
    }

    WorkflowStub execution = temporal.newUntypedWorkflowStub(ticket.workflowId());
    boolean mayGoBackground = plan.backgroundAfterSeconds() != null;
    Duration wait =
        mayGoBackground
            ? Duration.ofSeconds(plan.backgroundAfterSeconds())
            : plan.timeout().plus(RESULT_MARGIN);
    TaskKey key = new TaskKey(tenantId, sandboxId, taskId);
    Optional<CommandResult> result = awaitResult(execution, wait, key);
    if (result.isPresent()) {
      return result.get();
    }
    if (!mayGoBackground) {
      // The workflow kills the command at its limit, so a result this late means no worker is
      // running it right now. The command is not lost: it is handed to the background, and the
      // client follows it like any background task.
      log.warn("task {} gave no result within {}; answering with its ticket", taskId, wait);
    }
    Optional<CommandResult> endedMeanwhile = detach(execution, key);
    if (endedMeanwhile.isPresent()) {
      return endedMeanwhile.get();
    }
    return started(tenantId, sandboxId, ticket);
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
   * Reads a slice of the command's log from the container, through a short workflow on the
   * sandbox's host: the API itself never talks to Docker.
   */
  OutputResponse output(
      String tenantId,
      String sandboxId,
      String taskId,
      @Nullable Long offset,
      @Nullable Integer limit) {
    long from = offset == null ? 0 : offset;
    int size = limit == null ? DEFAULT_READ_BYTES : limit;
    List<InvalidField> errors = new ArrayList<>();
    if (from < 0) {
      errors.add(new InvalidField("offset", "must not be negative"));
    }
    if (size < 1 || size > MAX_READ_BYTES) {
      errors.add(new InvalidField("limit", "must be between 1 and " + MAX_READ_BYTES));
    }
    if (!errors.isEmpty()) {
      throw ApiProblem.invalid(errors);
    }
    SandboxResponse sandbox = sandboxes.get(tenantId, sandboxId);
    requireTask(tenantId, sandboxId, taskId);
    if (SandboxState.DESTROYED.wire().equals(sandbox.state())) {
      throw ApiProblem.invalidState(
          "sandbox " + sandboxId + " is destroyed: the output of its commands went with it");
    }
    String hostId = sandbox.hostId();
    if (hostId == null) {
      throw ApiProblem.invalidState("sandbox " + sandboxId + " has no container");
    }
    TaskOutputWorkflow reader =
        temporal.newWorkflowStub(
            TaskOutputWorkflow.class,
            WorkflowOptions.newBuilder()
                // Random: concurrent reads of one task must not collide on a workflow id.
                .setWorkflowId(RandomIds.lowerAlphanumeric("output-" + taskId + "-", 12))
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowExecutionTimeout(OUTPUT_READ_TIMEOUT)
                .build());
    try {
      return OutputResponse.of(
          reader.read(
              new ReadOutputInput(
                  hostId, new ReadOutput(new CommandRef(sandboxId, taskId), from, size))));
    } catch (WorkflowFailedException e) {
      throw outputFailure(sandboxId, taskId, hostId, e);
    }
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
    WorkflowStub execution =
        temporal.newUntypedWorkflowStub(ExecWorkflow.workflowId(sandboxId, taskId));
    try {
      execution.cancel();
    } catch (RuntimeException e) {
      if (!WorkflowProblems.isClosed(e)) {
        throw e;
      }
      // Ended on its own meanwhile; the row says how.
    }
    try {
      execution.getResult(KILL_WAIT.toMillis(), TimeUnit.MILLISECONDS, ExecResult.class);
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

  private CommandStarted started(String tenantId, String sandboxId, ExecTicket ticket) {
    awaitVisible(tenantId, sandboxId, ticket.taskId());
    return new CommandStarted(ticket.taskId(), ticket.outputFile());
  }

  /** Names a task: the three ids every task read is scoped by. */
  private record TaskKey(String tenantId, String sandboxId, String taskId) {}

  private Optional<CommandResult> awaitResult(WorkflowStub execution, Duration wait, TaskKey key) {
    try {
      return Optional.of(
          CommandResult.of(
              execution.getResult(wait.toMillis(), TimeUnit.MILLISECONDS, ExecResult.class)));
    } catch (TimeoutException e) {
      return Optional.empty();
    } catch (WorkflowFailedException e) {
      if (e.getCause() instanceof CanceledFailure) {
        // Killed while the caller waited (a DELETE of the task, or the sandbox going away): the
        // workflow ends cancelled rather than with a result, having recorded the end first.
        Optional<TaskRow> row = dao.find(key.tenantId(), key.sandboxId(), key.taskId());
        if (row.isPresent() && !row.get().isRunning()) {
          return Optional.of(CommandResult.of(row.get()));
        }
      }
      // The workflow answers every way a command can end; failing is a defect, logged here.
      log.error("workflow {} failed", execution.getExecution(), e);
      throw ApiProblem.of(
          ProblemType.OPERATION_FAILED,
          "the command's workflow failed; its task shows what is known about the command");
    }
  }

  /**
   * Tells the workflow nobody waits any more, so it notifies the session when the command ends. If
   * it ended between the wait and the signal, its result is the answer after all.
   */
  private Optional<CommandResult> detach(WorkflowStub execution, TaskKey key) {
    try {
      execution.signal(DETACH_SIGNAL);
      return Optional.empty();
    } catch (RuntimeException e) {
      if (!WorkflowProblems.isClosed(e)) {
        throw e;
      }
      return awaitResult(execution, ENDED_RESULT_WAIT, key);
    }
  }

  private void awaitVisible(String tenantId, String sandboxId, String taskId) {
    long deadline = System.nanoTime() + VISIBILITY_WAIT.toNanos();
    long pauseMs = 10;
    while (dao.find(tenantId, sandboxId, taskId).isEmpty()) {
      if (System.nanoTime() > deadline) {
        log.warn("task {} not yet recorded after {}; answering anyway", taskId, VISIBILITY_WAIT);
        return;
      }
      try {
        Thread.sleep(pauseMs);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      }
      pauseMs = Math.min(pauseMs * 2, 200);
    }
  }

  private RuntimeException outputFailure(
      String sandboxId, String taskId, String hostId, WorkflowFailedException e) {
    if (WorkflowProblems.hasType(e, ErrorType.CONTAINER_GONE)) {
      return ApiProblem.invalidState(
          "the container of sandbox "
              + sandboxId
              + " is gone, and the output of its commands with it");
    }
    if (Failures.cause(e, TimeoutFailure.class).isPresent()) {
      log.warn("reading the output of task {} on host {} timed out", taskId, hostId, e);
      return ApiProblem.unavailable(
          "host " + hostId + " did not answer in time; retry once its worker is back");
    }
    Optional<ApiProblem> known = WorkflowProblems.known(e);
    if (known.isPresent()) {
      return known.get();
    }
    log.error("reading the output of task {} failed", taskId, e);
    return ApiProblem.of(
        ProblemType.OPERATION_FAILED, "the output of task " + taskId + " could not be read");
  }

  /** A task another tenant owns, or of another sandbox, is reported like a missing one. */
  private TaskRow requireTask(String tenantId, String sandboxId, String taskId) {
    sandboxes.get(tenantId, sandboxId);
    return dao.find(tenantId, sandboxId, taskId)
        .orElseThrow(() -> ApiProblem.notFound("task " + taskId + " not found"));
  }

  private static boolean isTaskStatus(String status) {
    return Arrays.stream(TaskStatus.values()).anyMatch(s -> s.wire().equals(status));
  }
}
