package dev.sandbar.api.sandbox;

import dev.sandbar.api.metrics.OperationTimers;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.quota.QuotaService;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.api.temporal.WorkflowProblems;
import dev.sandbar.store.sandbox.SandboxRow;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecTicket;
import dev.sandbar.workflows.model.LifetimeChange;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.client.WorkflowUpdateException;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;
import org.springframework.stereotype.Service;

/**
 * Changes to a tenant's sandboxes. Every change goes through the sandbox's workflow, which
 * validates it against the sandbox's real state and answers once it is done. Public for {@link
 * #exec}, which the exec resource uses.
 */
@Service
public class SandboxOperations {

  /** How long an operation waits for a sandbox workflow that start-up recovery brings back. */
  static final Duration RECOVERY_WAIT = Duration.ofSeconds(5);

  private static final Duration RECOVERY_POLL = Duration.ofMillis(200);

  private final SandboxQueries queries;
  private final TemporalGateway temporal;
  private final OperationTimers timers;
  private final QuotaService quotas;

  SandboxOperations(
      SandboxQueries queries,
      TemporalGateway temporal,
      OperationTimers timers,
      QuotaService quotas) {
    this.queries = queries;
    this.temporal = temporal;
    this.timers = timers;
    this.quotas = quotas;
  }

  public SandboxResponse start(String tenantId, String id) {
    return operate(tenantId, id, "start", workflow -> workflow.start(Operation.user()));
  }

  SandboxResponse stop(String tenantId, String id) {
    return operate(tenantId, id, "stop", workflow -> workflow.stop(Operation.user()));
  }

  public SandboxResponse pause(String tenantId, String id) {
    return operate(tenantId, id, "pause", workflow -> workflow.pause(Operation.user()));
  }

  public SandboxResponse resume(String tenantId, String id) {
    return operate(tenantId, id, "resume", workflow -> workflow.resume(Operation.user()));
  }

  SandboxResponse restart(String tenantId, String id) {
    return operate(tenantId, id, "restart", workflow -> workflow.restart(Operation.user()));
  }

  /**
   * Moves the end of the sandbox's lifetime through its workflow (see {@link
   * SandboxWorkflow#setLifetime}); answers the sandbox with its new {@code ttlSeconds}.
   */
  public SandboxResponse setLifetime(String tenantId, String id, LifetimeChange change) {
    return operate(tenantId, id, "lifetime", workflow -> workflow.setLifetime(change));
  }

  /** Pushes the idle timer out. The answer is the read model, which a touch does not change. */
  SandboxResponse touch(String tenantId, String id) {
    call(
        tenantId,
        id,
        workflow -> {
          workflow.touch();
          return null;
        });
    return queries.get(tenantId, id);
  }

  /** Destroys the sandbox; destroying a destroyed sandbox answers with it, unchanged. */
  public SandboxResponse destroy(String tenantId, String id, boolean preserveData) {
    SandboxRow row = queries.require(tenantId, id);
    if (row.isDestroyed()) {
      return SandboxResponse.of(row);
    }
    if (preserveData) {
      quotas.requireArchiveRoom(tenantId);
    }
    try {
      return SandboxResponse.of(
          timers.time(
              "destroy",
              () ->
                  awaitingRecovery(
                      () -> queries.require(tenantId, id),
                      () ->
                          temporal
                              .sandbox(id)
                              .destroy(new DestroyRequest(Actor.USER, null, preserveData)))));
    } catch (RuntimeException e) {
      if (WorkflowProblems.isClosed(e) || isInvalidState(e)) {
        SandboxRow now = queries.require(tenantId, id);
        if (now.isDestroyed()) {
          return SandboxResponse.of(now);
        }
      }
      if (WorkflowProblems.isClosed(e)) {
        throw closedWorkflow(tenantId, id);
      }
      throw WorkflowProblems.translate(e);
    }
  }

  /** What a force destroy is audited as. */
  static final String FORCE_DESTROY_REASON = "force destroy";

  /**
   * The admin's destroy of any tenant's sandbox, even one whose operation is stuck: the workflow
   * abandons the step in flight and destroys (see {@link SandboxWorkflow#forceDestroy}). A
   * destroyed sandbox is answered unchanged.
   */
  SandboxResponse forceDestroy(String id) {
    SandboxRow row = queries.requireAnyTenant(id);
    if (row.isDestroyed()) {
      return SandboxResponse.of(row);
    }
    try {
      return SandboxResponse.of(
          awaitingRecovery(
              () -> queries.requireAnyTenant(id),
              () ->
                  temporal
                      .sandbox(id)
                      .forceDestroy(new DestroyRequest(Actor.ADMIN, FORCE_DESTROY_REASON, false))));
    } catch (RuntimeException e) {
      if (WorkflowProblems.isClosed(e) || isInvalidState(e)) {
        SandboxRow now = queries.requireAnyTenant(id);
        if (now.isDestroyed()) {
          return SandboxResponse.of(now);
        }
      }
      if (WorkflowProblems.isClosed(e)) {
        throw ApiProblem.unavailable(
            "sandbox " + id + " has no running workflow; retry once its worker has recovered it");
      }
      throw WorkflowProblems.translate(e);
    }
  }

  /**
   * Starts a command in the sandbox through its workflow, which refuses unless the sandbox is (and
   * stays) running: that refusal is a 409 naming the state the sandbox is in. The command is
   * admitted against the command quotas first (429), and withdrawn if it does not start.
   */
  public ExecTicket exec(String tenantId, String id, ExecRequest request) {
    return call(
        tenantId,
        id,
        workflow -> {
          quotas.admitCommand(tenantId, id, request.taskId());
          try {
            return timers.time("exec", () -> workflow.exec(request));
          } catch (RuntimeException e) {
            quotas.withdrawCommand(request.taskId());
            if (WorkflowProblems.isRejectedForState(e)) {
              // The exec validator's only rejection for state is SANDBOX_NOT_RUNNING, even when
              // the SDK has lost the type (see WorkflowProblems): its message names the state.
              throw ApiProblem.of(
                  ProblemType.SANDBOX_NOT_RUNNING,
                  WorkflowProblems.applicationFailure(e).orElseThrow().getOriginalMessage());
            }
            throw e;
          }
        });
  }

  /** Archives the data path, leaving the sandbox as it was; answers the new archive's id. */
  String snapshot(String tenantId, String id) {
    SandboxView view =
        call(
            tenantId,
            id,
            workflow ->
                timers.time(
                    "snapshot",
                    () -> {
                      quotas.requireArchiveRoom(tenantId);
                      return workflow.snapshot(Operation.user());
                    }));
    if (view.archiveId() == null) {
      throw ApiProblem.of(ProblemType.OPERATION_FAILED, "the snapshot recorded no archive");
    }
    return view.archiveId();
  }

  private SandboxResponse operate(
      String tenantId, String id, String name, Function<SandboxWorkflow, SandboxView> operation) {
    SandboxView view =
        call(tenantId, id, workflow -> timers.time(name, () -> operation.apply(workflow)));
    return SandboxResponse.of(view);
  }

  /**
   * Runs {@code update} (or a signal) against the tenant's sandbox, which must not be destroyed.
   */
  private <T> T call(String tenantId, String id, Function<SandboxWorkflow, T> update) {
    SandboxRow row = queries.require(tenantId, id);
    if (row.isDestroyed()) {
      throw destroyed(id);
    }
    try {
      return awaitingRecovery(
          () -> queries.require(tenantId, id), () -> update.apply(temporal.sandbox(id)));
    } catch (RuntimeException e) {
      if (WorkflowProblems.isClosed(e)) {
        throw closedWorkflow(tenantId, id);
      }
      throw WorkflowProblems.translate(e);
    }
  }

  /**
   * Runs {@code attempt}, again while the sandbox's workflow does not exist, for at most {@link
   * #RECOVERY_WAIT}: after a restart of the Temporal service a worker's start-up recovery starts it
   * again within moments, and an operation that waits is better than one that fails. An attempt
   * that found no workflow changed nothing, so it can be repeated. Gives up at once when the
   * sandbox is destroyed meanwhile (its workflow ended for good).
   */
  private static <T> T awaitingRecovery(Supplier<SandboxRow> row, Supplier<T> attempt) {
    long deadline = System.nanoTime() + RECOVERY_WAIT.toNanos();
    while (true) {
      try {
        return attempt.get();
      } catch (RuntimeException e) {
        if (!WorkflowProblems.isClosed(e)
            || System.nanoTime() >= deadline
            || row.get().isDestroyed()) {
          throw e;
        }
        try {
          Thread.sleep(RECOVERY_POLL.toMillis());
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /** The workflow has ended: normally because the sandbox was destroyed meanwhile. */
  private ApiProblem closedWorkflow(String tenantId, String id) {
    if (queries.require(tenantId, id).isDestroyed()) {
      return destroyed(id);
    }
    return ApiProblem.unavailable(
        "sandbox " + id + " has no running workflow; retry once its worker has recovered it");
  }

  private static ApiProblem destroyed(String id) {
    return ApiProblem.invalidState("sandbox " + id + " is destroyed");
  }

  private static boolean isInvalidState(RuntimeException e) {
    return e instanceof WorkflowUpdateException
        && WorkflowProblems.isRejectedForState(e)
        && !WorkflowProblems.hasType(e, ErrorType.SANDBOX_NOT_RUNNING);
  }
}
