package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecTicket;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.LifetimeChange;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;

/**
 * Implementation notes: update handlers only enqueue their operation and wait for its answer; the
 * workflow method's loop is the only code that calls activities. That loop is what serializes
 * operations, and its single timer (the nearer of the idle and lifetime deadlines) replaces every
 * reaper thread of a hand-written control plane.
 *
 * <p>Update handlers enqueue; their validators judge the projected state (where the queue leads)
 * through {@link SandboxOperation}, the table of which operation is allowed from which state and
 * where it leads. The loop checks the same table when an operation's turn comes and runs its
 * activities through {@link ContainerSteps}; {@link TransitionRecorder} records every transition.
 */
public class SandboxWorkflowImpl implements SandboxWorkflow {

  private final SandboxFacts facts;
  private final RunningCommands commands;
  private final SandboxTimers timers;
  private final TransitionRecorder recorder;
  private final ContainerSteps steps;
  private final OperationQueue operations;
  private final HealthReports health;

  private boolean created;

  /** Every step of the loop runs through it; a force destroy due runs before anything else. */
  private final ForceDestroy force = new ForceDestroy();

  @WorkflowInit
  public SandboxWorkflowImpl(SandboxWorkflowInput input) {
    SandboxWorkflowInput.Carried carried = input.carried();
    facts = new SandboxFacts(input, Workflow.currentTimeMillis());
    commands =
        new RunningCommands(
            input.sandboxId(), input.tenantId(), carried == null ? null : carried.runningTasks());
    HistoryShape shape = new HistoryShape();
    timers = new SandboxTimers(facts, () -> !commands.isEmpty(), shape);
    recorder = new TransitionRecorder(facts, shape);
    steps = new ContainerSteps(facts, recorder, timers, commands);
    operations =
        new OperationQueue(
            facts, steps, recorder, force, carried == null ? RUNNING : carried.state());
    health = new HealthReports(facts);
    created = carried != null;
    if (facts.hostId != null) {
      steps.bind(facts.hostId);
    }
  }

  @Override
  public SandboxView run(SandboxWorkflowInput ignored) {
    if (!created) {
      force.abandonable(
          () -> {
            steps.create();
            return null;
          });
      created = true;
      operations.settle();
    }
    while (facts.state != DESTROYED) {
      if (force.requested()) {
        runForcedDestroy();
        continue;
      }
      if (!operations.isEmpty()) {
        operations.runNext();
        continue;
      }
      long now = Workflow.currentTimeMillis();
      if (timers.ttlExpired(now)) {
        // Projected like a queued operation, so validators judge against where it leads.
        operations.project(SandboxOperation.DESTROY);
        String reason = "maximum lifetime of " + facts.input.spec().ttlSeconds() + "s reached";
        force.abandonable(
            () ->
                steps.destroy(
                    new Attempt(SandboxOperation.DESTROY.action(), Actor.SYSTEM, reason), false));
        operations.settle();
        continue;
      }
      if (timers.idleExpired(now)) {
        SandboxOperation idle =
            facts.input.spec().idleAction() == IdleAction.STOP
                ? SandboxOperation.STOP
                : SandboxOperation.PAUSE;
        operations.project(idle);
        force.abandonable(
            () -> {
              steps.idle();
              return null;
            });
        operations.settle();
        continue;
      }
      if (Workflow.getInfo().isContinueAsNewSuggested()) {
        continueAsNew();
      }
      timers.awaitWorkOrDeadline(now, () -> !operations.isEmpty() || force.requested());
    }
    recorder.flush();
    operations.refuseRemaining();
    return facts.view();
  }

  @Override
  public SandboxView start(Operation operation) {
    return enqueue(SandboxOperation.START, operation);
  }

  @Override
  public void validateStart(Operation operation) {
    SandboxOperation.START.validate(operations.projected());
  }

  @Override
  public SandboxView stop(Operation operation) {
    return enqueue(SandboxOperation.STOP, operation);
  }

  @Override
  public void validateStop(Operation operation) {
    SandboxOperation.STOP.validate(operations.projected());
  }

  @Override
  public SandboxView pause(Operation operation) {
    return enqueue(SandboxOperation.PAUSE, operation);
  }

  @Override
  public void validatePause(Operation operation) {
    SandboxOperation.PAUSE.validate(operations.projected());
  }

  @Override
  public SandboxView resume(Operation operation) {
    return enqueue(SandboxOperation.RESUME, operation);
  }

  @Override
  public void validateResume(Operation operation) {
    SandboxOperation.RESUME.validate(operations.projected());
  }

  @Override
  public SandboxView restart(Operation operation) {
    return enqueue(SandboxOperation.RESTART, operation);
  }

  @Override
  public void validateRestart(Operation operation) {
    SandboxOperation.RESTART.validate(operations.projected());
  }

  @Override
  public SandboxView snapshot(Operation operation) {
    return enqueue(SandboxOperation.SNAPSHOT, operation);
  }

  @Override
  public void validateSnapshot(Operation operation) {
    SandboxOperation.SNAPSHOT.validate(operations.projected());
  }

  @Override
  public SandboxView move(Operation operation) {
    return enqueue(SandboxOperation.MOVE, operation);
  }

  @Override
  public void validateMove(Operation operation) {
    SandboxOperation.MOVE.validate(operations.projected());
  }

  @Override
  public SandboxView setLifetime(LifetimeChange change) {
    return enqueue(
        SandboxOperation.LIFETIME,
        Actor.USER,
        null,
        new ContainerSteps.Request(false, null, change));
  }

  @Override
  public void validateSetLifetime(LifetimeChange change) {
    if (change.secondsFromNow() < 1) {
      throw ApplicationFailure.newNonRetryableFailure(
          "a lifetime must end at least 1 s from now", ErrorType.INVALID_ARGUMENT.name());
    }
    SandboxOperation.LIFETIME.validate(operations.projected());
  }

  @Override
  public SandboxView destroy(DestroyRequest request) {
    if (operations.projected() == DESTROYED) {
      // A destroy is already accepted: answer when it is done instead of destroying twice.
      Workflow.await(() -> facts.state == DESTROYED || operations.projected() != DESTROYED);
      if (facts.state == DESTROYED) {
        return facts.view();
      }
    }
    return enqueue(
        SandboxOperation.DESTROY,
        request.actor(),
        request.reason(),
        new ContainerSteps.Request(request.preserveData(), null));
  }

  /** Judged against the current state: a second destroy is answered by the queued one. */
  @Override
  public void validateDestroy(DestroyRequest request) {
    SandboxOperation.DESTROY.validate(facts.state);
  }

  @Override
  public SandboxView forceDestroy(DestroyRequest request) {
    force.request(request);
    operations.project(SandboxOperation.DESTROY);
    force.awaitDone();
    return facts.view();
  }

  @Override
  public void validateForceDestroy(DestroyRequest request) {
    SandboxOperation.DESTROY.validate(facts.state);
  }

  @Override
  public SandboxView awaitSettled() {
    Workflow.await(() -> created || facts.state == DESTROYED);
    return facts.view();
  }

  @Override
  public ExecTicket exec(ExecRequest request) {
    timers.markActivity();
    try {
      return commands.start(request, facts.hostId);
    } catch (TemporalFailure notStarted) {
      timers.wake();
      throw notStarted;
    }
  }

  @Override
  public void validateExec(ExecRequest request) {
    SandboxState projected = operations.projected();
    if (facts.state != RUNNING || projected != RUNNING) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot run a command in a sandbox that is "
              + (facts.state != RUNNING ? facts.state : projected).wire(),
          ErrorType.SANDBOX_NOT_RUNNING.name());
    }
    if (commands.contains(request.taskId())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "task " + request.taskId() + " already exists", ErrorType.INVALID_ARGUMENT.name());
    }
  }

  @Override
  public void taskEnded(String taskId) {
    if (commands.ended(taskId)) {
      timers.markActivity();
    }
  }

  @Override
  public void observed(Observation observation) {
    if (observation.state() == null || observation.state() == DESTROYED) {
      return;
    }
    if (observation.fromReconciliation()
        && !HostReports.adopts(observation, facts, operations.isEmpty(), operations.isRunning())) {
      return;
    }
    if (observation.fromReconciliation() && health.handle(observation, operations)) {
      return;
    }
    SandboxOperation sync = SandboxOperation.SYNC;
    operations.enqueueUnanswered(
        sync,
        new Attempt(sync.action(), Actor.SYSTEM, observation.reason()),
        new ContainerSteps.Request(false, observation));
  }

  @Override
  public void touch() {
    timers.markActivity();
  }

  @Override
  public SandboxView describe() {
    return facts.view();
  }

  private SandboxView enqueue(SandboxOperation operation, Operation request) {
    return enqueue(
        operation, request.actor(), request.reason(), new ContainerSteps.Request(false, null));
  }

  private SandboxView enqueue(
      SandboxOperation operation, Actor actor, String reason, ContainerSteps.Request request) {
    timers.markActivity();
    return operations.enqueue(operation, actor, reason, request);
  }

  /**
   * The destroy a force destroy asked for, run outside any cancelled scope. The abandoned step's
   * activities have ended (they wait for cancellation, see StepActivities), so the removal cannot
   * race them; its writes that did not land are given up, the destroy's own come later in sequence.
   */
  private void runForcedDestroy() {
    recorder.abandonUnflushed();
    created = true;
    steps.destroy(force.attempt(), false);
    recorder.flush();
    force.done();
    if (facts.state != DESTROYED) {
      // The removal failed: the sandbox is in error, and the queue is served as usual.
      operations.settle();
    }
  }

  private void continueAsNew() {
    recorder.flush();
    // An operation accepted while waiting is served first; continue-as-new is tried again later.
    Workflow.await(
        () -> !operations.isEmpty() || force.requested() || Workflow.isEveryHandlerFinished());
    if (!operations.isEmpty() || force.requested()) {
      return;
    }
    Workflow.continueAsNew(facts.continuation(commands.taskIds()));
  }
}
