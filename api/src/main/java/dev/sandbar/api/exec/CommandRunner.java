package dev.sandbar.api.exec;

import dev.sandbar.api.config.RandomIds;
import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.sandbox.SandboxOperations;
import dev.sandbar.api.temporal.CommandExecution;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.api.temporal.WorkflowProblems;
import dev.sandbar.store.task.TaskDao;
import dev.sandbar.store.task.TaskRow;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecTicket;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.TimeoutException;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Runs commands in a tenant's sandboxes. Starting one goes through the sandbox's workflow (which
 * knows whether the sandbox runs); the command itself is an {@link ExecWorkflow} that the API waits
 * on in the foreground, or hands to the background.
 */
@Service
class CommandRunner {

  private static final Logger log = LoggerFactory.getLogger(CommandRunner.class);

  /**
   * Waited beyond a foreground command's own limit: the workflow's timer kills the command at the
   * limit, then it still kills the process group (TERM, a grace, KILL) and records the end.
   */
  static final Duration RESULT_MARGIN = Duration.ofSeconds(10);

  /**
   * How long a background start waits for the task's first row, so that a client reading or killing
   * the task right after the answer finds it. The workflow writes that row first thing.
   */
  static final Duration VISIBILITY_WAIT = Duration.ofSeconds(10);

  /** How long a result is fetched once the workflow is known to have ended. */
  private static final Duration ENDED_RESULT_WAIT = Duration.ofSeconds(5);

  private final TaskDao dao;
  private final TemporalGateway temporal;
  private final SandboxOperations sandboxes;
  private final SandbarApiProperties properties;

  CommandRunner(
      Jdbi jdbi,
      TemporalGateway temporal,
      SandboxOperations sandboxes,
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
    ExecTicket ticket = start(tenantId, sandboxId, plan);
    String taskId = ticket.taskId();
    if (plan.background()) {
      return started(tenantId, sandboxId, ticket);
    }

    CommandExecution execution = temporal.command(ticket.workflowId());
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

  /**
   * Starts a command whose output the caller streams ({@code Accept: text/event-stream}) and
   * returns once its task is recorded, so the stream's first read finds it. The stream is the
   * caller's wait: a foreground command that loses its stream is handed to the background by {@link
   * #detach(String)}.
   */
  CommandStarted startStreamed(
      String tenantId, String sandboxId, @Nullable RunCommandRequest body) {
    if (body == null) {
      throw ApiProblem.invalid("command", "must not be empty");
    }
    if (body.backgroundAfterSeconds() != null) {
      throw ApiProblem.invalid(
          "backgroundAfterSeconds", "does not apply to a streamed command: the stream is the wait");
    }
    CommandPlan plan = CommandValidator.validate(body, properties.execBackgroundLimitSeconds());
    return started(tenantId, sandboxId, start(tenantId, sandboxId, plan));
  }

  /**
   * Tells a foreground command's workflow that nobody waits any more (its stream broke), so it
   * notifies the session when the command ends. A command that has ended already is left alone.
   */
  void detach(String workflowId) {
    try {
      temporal.command(workflowId).detach();
    } catch (RuntimeException e) {
      if (!WorkflowProblems.isClosed(e)) {
        log.warn("could not hand streamed command {} to the background", workflowId, e);
      }
    }
  }

  private ExecTicket start(String tenantId, String sandboxId, CommandPlan plan) {
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
            properties.execStallSeconds(),
            plan.stdin());
    return sandboxes.exec(tenantId, sandboxId, request);
  }

  private CommandStarted started(String tenantId, String sandboxId, ExecTicket ticket) {
    awaitVisible(tenantId, sandboxId, ticket.taskId());
    return new CommandStarted(ticket.taskId(), ticket.outputFile());
  }

  /** Names a task: the three ids every task read is scoped by. */
  private record TaskKey(String tenantId, String sandboxId, String taskId) {}

  private Optional<CommandResult> awaitResult(
      CommandExecution execution, Duration wait, TaskKey key) {
    try {
      return Optional.of(CommandResult.of(execution.result(wait)));
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
      log.error("workflow {} failed", execution.execution(), e);
      throw ApiProblem.of(
          ProblemType.OPERATION_FAILED,
          "the command's workflow failed; its task shows what is known about the command");
    }
  }

  /**
   * Tells the workflow nobody waits any more, so it notifies the session when the command ends. If
   * it ended between the wait and the signal, its result is the answer after all.
   */
  private Optional<CommandResult> detach(CommandExecution execution, TaskKey key) {
    try {
      execution.detach();
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
}
