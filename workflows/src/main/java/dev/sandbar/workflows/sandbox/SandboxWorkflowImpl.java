package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.CREATING;
import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.DESTROYING;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.MISSING;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.PAUSING;
import static dev.sandbar.workflows.model.SandboxState.RESUMING;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STARTING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.model.SandboxState.STOPPING;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.SearchAttributes;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.activity.ArchiveStoreActivities;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ArchiveLookup;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecTicket;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.RestoreData;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.model.Transition;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancelExternalWorkflowException;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/**
 * Implementation notes: update handlers only enqueue their operation and wait for its answer; the
 * workflow method's loop is the only code that calls activities. That loop is what serializes
 * operations, and its single timer (the nearer of the idle and lifetime deadlines) replaces every
 * reaper thread of a hand-written control plane.
 */
public class SandboxWorkflowImpl implements SandboxWorkflow {

  private static final Logger log = Workflow.getLogger(SandboxWorkflowImpl.class);

  private static final Set<SandboxState> STARTABLE = EnumSet.of(STOPPED, ERROR, MISSING);
  private static final Set<SandboxState> STOPPABLE = EnumSet.of(RUNNING, PAUSED);
  private static final Set<SandboxState> RESTARTABLE = EnumSet.of(RUNNING, PAUSED, STOPPED, ERROR);

  /** How long stop and destroy wait for the commands they kill to report their end. */
  private static final Duration TASK_KILL_GRACE = Duration.ofSeconds(15);

  private static final Set<SandboxState> SNAPSHOTTABLE = EnumSet.of(RUNNING, PAUSED, STOPPED);

  private enum Kind {
    START,
    STOP,
    PAUSE,
    RESUME,
    RESTART,
    DESTROY,
    SNAPSHOT,
    SYNC
  }

  private record Pending(
      Kind kind,
      Actor actor,
      String reason,
      boolean preserveData,
      Observation observed,
      CompletablePromise<SandboxView> answer) {}

  private final StoreActivities store =
      Workflow.newActivityStub(StoreActivities.class, ActivityOptionsCatalog.DATABASE);
  private final ArchiveStoreActivities archiveStore =
      Workflow.newActivityStub(ArchiveStoreActivities.class, ActivityOptionsCatalog.DATABASE);
  private final Deque<Pending> queue = new ArrayDeque<>();
  private final List<Promise<Void>> unflushedWrites = new ArrayList<>();

  private final SandboxWorkflowInput input;
  private HostActivities host;
  private ArchiveActivities archives;
  private ApplicationFailure exportFailure;
  private SandboxState state;
  private SandboxState projected;
  private String hostId;
  private String containerId;
  private String error;
  private String archiveId;
  private long lastActivityAtMs;
  private long updatedAtMs;
  private long seq;
  private long activityMarker;
  private final Set<String> runningTasks = new LinkedHashSet<>();
  private boolean created;

  @WorkflowInit
  public SandboxWorkflowImpl(SandboxWorkflowInput input) {
    this.input = input;
    long now = Workflow.currentTimeMillis();
    SandboxWorkflowInput.Carried carried = input.carried();
    if (carried == null) {
      state = CREATING;
      projected = RUNNING;
      lastActivityAtMs = now;
    } else {
      state = carried.state();
      projected = carried.state();
      hostId = carried.hostId();
      containerId = carried.containerId();
      error = carried.error();
      archiveId = carried.archiveId();
      lastActivityAtMs = carried.lastActivityAtMs();
      seq = carried.seq();
      if (carried.runningTasks() != null) {
        runningTasks.addAll(carried.runningTasks());
      }
      created = true;
      if (hostId != null) {
        bindHost(hostId);
      }
    }
    updatedAtMs = now;
  }

  @Override
  public SandboxView run(SandboxWorkflowInput ignored) {
    if (!created) {
      create();
      created = true;
      settleProjection();
    }
    while (state != DESTROYED) {
      if (!queue.isEmpty()) {
        execute(queue.poll());
        if (queue.isEmpty()) {
          projected = state;
        }
        continue;
      }
      long now = Workflow.currentTimeMillis();
      if (ttlExpired(now)) {
        // Projected like a queued operation, so validators judge against where it leads.
        projected = DESTROYED;
        destroy(
            Actor.SYSTEM, "maximum lifetime of " + input.spec().ttlSeconds() + "s reached", false);
        settleProjection();
        continue;
      }
      if (idleExpired(now)) {
        projected = input.spec().idleAction() == IdleAction.STOP ? STOPPED : PAUSED;
        onIdle();
        settleProjection();
        continue;
      }
      if (Workflow.getInfo().isContinueAsNewSuggested()) {
        continueAsNew();
      }
      long seen = activityMarker;
      long deadline = nextDeadline();
      if (deadline == Long.MAX_VALUE) {
        Workflow.await(() -> !queue.isEmpty() || activityMarker != seen);
      } else {
        Workflow.await(
            Duration.ofMillis(Math.max(1, deadline - now)),
            () -> !queue.isEmpty() || activityMarker != seen);
      }
    }
    flushWrites();
    return view();
  }

  // ---- updates, signals, queries -------------------------------------------------------------

  @Override
  public SandboxView start(Operation operation) {
    return enqueue(Kind.START, operation.actor(), operation.reason(), false);
  }

  @Override
  public void validateStart(Operation operation) {
    require("start", STARTABLE);
  }

  @Override
  public SandboxView stop(Operation operation) {
    return enqueue(Kind.STOP, operation.actor(), operation.reason(), false);
  }

  @Override
  public void validateStop(Operation operation) {
    require("stop", STOPPABLE);
  }

  @Override
  public SandboxView pause(Operation operation) {
    return enqueue(Kind.PAUSE, operation.actor(), operation.reason(), false);
  }

  @Override
  public void validatePause(Operation operation) {
    require("pause", EnumSet.of(RUNNING));
  }

  @Override
  public SandboxView resume(Operation operation) {
    return enqueue(Kind.RESUME, operation.actor(), operation.reason(), false);
  }

  @Override
  public void validateResume(Operation operation) {
    require("resume", EnumSet.of(PAUSED));
  }

  @Override
  public SandboxView restart(Operation operation) {
    return enqueue(Kind.RESTART, operation.actor(), operation.reason(), false);
  }

  @Override
  public void validateRestart(Operation operation) {
    require("restart", RESTARTABLE);
  }

  @Override
  public SandboxView destroy(DestroyRequest request) {
    if (projected == DESTROYED) {
      // A destroy is already accepted: answer when it is done instead of destroying twice.
      Workflow.await(() -> state == DESTROYED || projected != DESTROYED);
      if (state == DESTROYED) {
        return view();
      }
    }
    return enqueue(Kind.DESTROY, request.actor(), request.reason(), request.preserveData());
  }

  @Override
  public void validateDestroy(DestroyRequest request) {
    if (state == DESTROYED) {
      throw invalidState("destroy", state);
    }
  }

  @Override
  public SandboxView awaitSettled() {
    Workflow.await(() -> created || state == DESTROYED);
    return view();
  }

  @Override
  public ExecTicket exec(ExecRequest request) {
    markActivity();
    String workflowId = ExecWorkflow.workflowId(input.sandboxId(), request.taskId());
    ExecWorkflow child =
        Workflow.newChildWorkflowStub(
            ExecWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.CONTROL)
                // Commands outlive a continue-as-new of this workflow; stop and destroy cancel
                // them explicitly.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    runningTasks.add(request.taskId());
    Async.function(child::run, new ExecInput(input.sandboxId(), input.tenantId(), hostId, request));
    try {
      Workflow.getWorkflowExecution(child).get();
    } catch (TemporalFailure notStarted) {
      runningTasks.remove(request.taskId());
      activityMarker++;
      throw notStarted;
    }
    return new ExecTicket(
        request.taskId(),
        workflowId,
        new CommandRef(input.sandboxId(), request.taskId()).outputFile());
  }

  @Override
  public void validateExec(ExecRequest request) {
    if (state != RUNNING || projected != RUNNING) {
      throw ApplicationFailure.newNonRetryableFailure(
          "cannot run a command in a sandbox that is "
              + (state != RUNNING ? state : projected).wire(),
          ErrorType.SANDBOX_NOT_RUNNING.name());
    }
    if (runningTasks.contains(request.taskId())) {
      throw ApplicationFailure.newNonRetryableFailure(
          "task " + request.taskId() + " already exists", ErrorType.INVALID_ARGUMENT.name());
    }
  }

  @Override
  public void taskEnded(String taskId) {
    if (runningTasks.remove(taskId)) {
      markActivity();
    }
  }

  @Override
  public SandboxView snapshot(Operation operation) {
    return enqueue(Kind.SNAPSHOT, operation.actor(), operation.reason(), false);
  }

  @Override
  public void validateSnapshot(Operation operation) {
    require("archive", SNAPSHOTTABLE);
  }

  @Override
  public void observed(Observation observation) {
    if (observation.state() == null || observation.state() == DESTROYED) {
      return;
    }
    queue.add(
        new Pending(
            Kind.SYNC,
            Actor.SYSTEM,
            observation.reason(),
            false,
            observation,
            Workflow.newPromise()));
  }

  @Override
  public void touch() {
    markActivity();
  }

  @Override
  public SandboxView describe() {
    return view();
  }

  // ---- operations ----------------------------------------------------------------------------

  private SandboxView enqueue(Kind kind, Actor actor, String reason, boolean preserveData) {
    markActivity();
    SandboxState target = target(kind);
    if (target != null) {
      projected = target;
    }
    CompletablePromise<SandboxView> answer = Workflow.newPromise();
    queue.add(
        new Pending(kind, actor == null ? Actor.USER : actor, reason, preserveData, null, answer));
    return answer.get();
  }

  private void execute(Pending op) {
    String action = op.kind().name().toLowerCase(java.util.Locale.ROOT);
    if (!allowedNow(op.kind())) {
      // Accepted against the projected state, but an earlier operation failed on the way.
      op.answer().completeExceptionally(invalidState(action, state));
      return;
    }
    try {
      switch (op.kind()) {
        case START -> startContainer(action, op.actor(), op.reason());
        case STOP -> stopContainer(action, op.actor(), op.reason());
        case PAUSE -> pauseContainer(op.actor(), op.reason());
        case RESUME -> resumeContainer(op.actor(), op.reason());
        case RESTART -> {
          if (state == RUNNING || state == PAUSED) {
            stopContainer(action, op.actor(), op.reason());
          }
          if (state == STOPPED || state == ERROR) {
            startContainer(action, op.actor(), op.reason());
          }
        }
        case DESTROY -> destroy(op.actor(), op.reason(), op.preserveData());
        case SNAPSHOT -> snapshot(op.actor(), op.reason());
        case SYNC -> sync(op.observed());
      }
      flushWrites();
      if (exportFailure != null) {
        ApplicationFailure failure = exportFailure;
        exportFailure = null;
        op.answer().completeExceptionally(failure);
        return;
      }
      op.answer().complete(view());
    } catch (TemporalFailure unexpected) {
      op.answer().completeExceptionally(unexpected);
    }
  }

  private boolean allowedNow(Kind kind) {
    return switch (kind) {
      case START -> STARTABLE.contains(state);
      case STOP -> STOPPABLE.contains(state);
      case PAUSE -> state == RUNNING;
      case RESUME -> state == PAUSED;
      case RESTART -> RESTARTABLE.contains(state);
      case DESTROY -> state != DESTROYED;
      case SNAPSHOT -> SNAPSHOTTABLE.contains(state);
      case SYNC -> !state.isTransient() && state != DESTROYED;
    };
  }

  private static SandboxState target(Kind kind) {
    return switch (kind) {
      case START, RESUME, RESTART -> RUNNING;
      case STOP -> STOPPED;
      case PAUSE -> PAUSED;
      case DESTROY -> DESTROYED;
      case SNAPSHOT, SYNC -> null;
    };
  }

  private void create() {
    record(CREATING, "create", Actor.USER, null, "ok");
    try {
      hostId =
          store.placeSandbox(
              new Placement(
                  input.sandboxId(),
                  input.spec().resources(),
                  input.spec().hostLabels(),
                  input.spec().image()));
      bindHost(hostId);
      ContainerInfo made =
          host.createContainer(
              new CreateContainer(input.sandboxId(), input.tenantId(), hostId, input.spec()));
      containerId = made.containerId();
      if (input.spec().restoreFrom() != null && !restore()) {
        flushWrites();
        return;
      }
      record(STARTING, "create", Actor.USER, null, "ok");
      host.startContainer(ref());
      markActivity();
      record(RUNNING, "create", Actor.USER, null, "ok");
    } catch (ActivityFailure failure) {
      fail("create", Actor.USER, failure);
    }
    flushWrites();
  }

  private void startContainer(String action, Actor actor, String reason) {
    record(STARTING, action, actor, reason, "ok");
    try {
      // Create is idempotent: it finds the existing container, or re-creates one around the
      // surviving data volume if the container was removed behind Sandbar's back.
      ContainerInfo info =
          host.createContainer(
              new CreateContainer(input.sandboxId(), input.tenantId(), hostId, input.spec()));
      containerId = info.containerId();
      host.startContainer(ref());
      error = null;
      markActivity();
      record(RUNNING, action, actor, reason, "ok");
    } catch (ActivityFailure failure) {
      fail(action, actor, failure);
    }
  }

  private void stopContainer(String action, Actor actor, String reason) {
    record(STOPPING, action, actor, reason, "ok");
    killRunningTasks();
    try {
      host.stopContainer(ref());
      record(STOPPED, action, actor, reason, "ok");
    } catch (ActivityFailure failure) {
      fail(action, actor, failure);
    }
  }

  private void pauseContainer(Actor actor, String reason) {
    record(PAUSING, "pause", actor, reason, "ok");
    try {
      host.pauseContainer(ref());
      record(PAUSED, "pause", actor, reason, "ok");
    } catch (ActivityFailure failure) {
      fail("pause", actor, failure);
    }
  }

  private void resumeContainer(Actor actor, String reason) {
    record(RESUMING, "resume", actor, reason, "ok");
    try {
      host.unpauseContainer(ref());
      markActivity();
      record(RUNNING, "resume", actor, reason, "ok");
    } catch (ActivityFailure failure) {
      fail("resume", actor, failure);
    }
  }

  private void destroy(Actor actor, String reason, boolean preserveData) {
    SandboxState before = state;
    record(DESTROYING, "destroy", actor, reason, "ok");
    if (preserveData && !export(before, "destroy", actor, reason, false)) {
      return;
    }
    killRunningTasks();
    try {
      if (host != null) {
        host.removeContainer(ref());
      }
      containerId = null;
      record(DESTROYED, "destroy", actor, reason, "ok");
    } catch (ActivityFailure failure) {
      fail("destroy", actor, failure);
    }
  }

  /**
   * Cancels the workflows of running commands: each kills its process group and ends {@code
   * killed}. The container stopping would end the processes anyway; cancelling also ends the
   * workflows and records why.
   */
  private void killRunningTasks() {
    List<String> tasks = List.copyOf(runningTasks);
    for (String taskId : tasks) {
      try {
        Workflow.newUntypedExternalWorkflowStub(ExecWorkflow.workflowId(input.sandboxId(), taskId))
            .cancel();
      } catch (CancelExternalWorkflowException alreadyEnded) {
        log.info("task {} of sandbox {} had already ended", taskId, input.sandboxId());
        runningTasks.remove(taskId);
      }
    }
    // Let each command die by its own kill, which its workflow records as killed, before the
    // container goes away underneath it; a task that does not report in time is let go.
    int version = Workflow.getVersion("await-killed-tasks", Workflow.DEFAULT_VERSION, 1);
    if (version >= 1 && !runningTasks.isEmpty()) {
      Workflow.await(TASK_KILL_GRACE, runningTasks::isEmpty);
    }
    runningTasks.removeAll(tasks);
  }

  private void snapshot(Actor actor, String reason) {
    export(state, "snapshot", actor, reason, true);
  }

  /**
   * Writes the data path to a new archive. A running sandbox is paused for a consistent copy. On
   * success the archive is recorded and, for a snapshot, the sandbox is put back as it was. On
   * failure the half-written archive is discarded, the sandbox is put back as it was (a destroy is
   * thereby aborted) and the failure is audited and answered.
   */
  private boolean export(
      SandboxState before, String action, Actor actor, String reason, boolean resumeAfter) {
    String newArchiveId =
        "ar-" + Workflow.randomUUID().toString().replace("-", "").substring(0, 20);
    boolean pausedHere = false;
    try {
      if (before == RUNNING) {
        host.pauseContainer(ref());
        pausedHere = true;
      }
      ArchiveFile file =
          archives.exportData(new ExportData(ref(), newArchiveId, input.spec().dataPath()));
      archiveStore.recordArchive(
          new ArchiveInfo(
              newArchiveId,
              input.sandboxId(),
              input.tenantId(),
              hostId,
              file.sizeBytes(),
              file.sha256(),
              Workflow.currentTimeMillis(),
              "ready"));
      archiveId = newArchiveId;
      if (pausedHere && resumeAfter) {
        host.unpauseContainer(ref());
      }
      if (resumeAfter) {
        record(before, action, actor, reason, "ok", null);
      }
      return true;
    } catch (ActivityFailure failure) {
      String message = action + " aborted: export failed: " + describe(failure);
      log.warn("sandbox {}: {}", input.sandboxId(), message);
      try {
        archives.discardArchive(newArchiveId);
      } catch (ActivityFailure discardFailed) {
        log.warn("could not discard partial archive {}", newArchiveId);
      }
      if (pausedHere) {
        try {
          host.unpauseContainer(ref());
        } catch (ActivityFailure unpauseFailed) {
          fail(action, actor, unpauseFailed);
          exportFailure = exportFailed(message);
          return false;
        }
      }
      record(before, action, actor, reason, "failed", message);
      exportFailure = exportFailed(message);
      return false;
    }
  }

  private static ApplicationFailure exportFailed(String message) {
    return ApplicationFailure.newNonRetryableFailure(message, ErrorType.EXPORT_FAILED.name());
  }

  /**
   * Restores {@code restoreFrom} into the created container before its command ever runs. On
   * failure the container and its volume are removed and the sandbox ends in error.
   */
  private boolean restore() {
    try {
      ArchiveInfo archive =
          archiveStore.findArchive(new ArchiveLookup(input.spec().restoreFrom(), input.tenantId()));
      archives.restoreData(
          new RestoreData(
              ref(),
              new ArchiveFile(archive.archiveId(), archive.sizeBytes(), archive.sha256()),
              input.spec().dataPath()));
      return true;
    } catch (ActivityFailure failure) {
      try {
        host.removeContainer(ref());
        containerId = null;
      } catch (ActivityFailure removeFailed) {
        log.warn("could not remove container of failed restore {}", input.sandboxId());
      }
      fail("restore", Actor.USER, failure);
      return false;
    }
  }

  /** Adopts what the host reports, when it differs from what this workflow believes. */
  private void sync(Observation observed) {
    if (observed.state() == state) {
      return;
    }
    if (observed.containerId() != null) {
      containerId = observed.containerId();
    }
    if (observed.state() == RUNNING) {
      markActivity();
    }
    record(observed.state(), "reconcile", Actor.SYSTEM, observed.reason(), "ok", null);
  }

  /**
   * After an operation Sandbar ran by itself (creation, idle, lifetime), validators must judge
   * against its outcome, unless operations queued meanwhile already project further.
   */
  private void settleProjection() {
    if (queue.isEmpty()) {
      projected = state;
    }
  }

  private void onIdle() {
    IdleAction action = input.spec().idleAction();
    String reason = "idle for " + input.spec().idleTimeoutSeconds() + "s";
    if (action == IdleAction.STOP) {
      stopContainer("idle-stop", Actor.SYSTEM, reason);
    } else {
      pauseContainer(Actor.SYSTEM, reason);
    }
    flushWrites();
  }

  // ---- timers --------------------------------------------------------------------------------

  private boolean ttlExpired(long now) {
    return input.spec().ttlSeconds() > 0 && now >= ttlDeadline();
  }

  private long ttlDeadline() {
    return input.createdAtMs() + input.spec().ttlSeconds() * 1000;
  }

  private boolean idleExpired(long now) {
    return idleTimerArmed() && now >= idleDeadline();
  }

  /** The idle timer only runs while the sandbox runs and none of its commands do. */
  private boolean idleTimerArmed() {
    return input.spec().idleTimeoutSeconds() > 0 && state == RUNNING && runningTasks.isEmpty();
  }

  private long idleDeadline() {
    return lastActivityAtMs + input.spec().idleTimeoutSeconds() * 1000;
  }

  private long nextDeadline() {
    long next = Long.MAX_VALUE;
    if (input.spec().ttlSeconds() > 0) {
      next = Math.min(next, ttlDeadline());
    }
    if (idleTimerArmed()) {
      next = Math.min(next, idleDeadline());
    }
    return next;
  }

  private void markActivity() {
    lastActivityAtMs = Workflow.currentTimeMillis();
    activityMarker++;
  }

  // ---- bookkeeping ---------------------------------------------------------------------------

  private void fail(String action, Actor actor, ActivityFailure failure) {
    error = action + " failed: " + describe(failure);
    log.warn("sandbox {} {}", input.sandboxId(), error);
    record(ERROR, action, actor, null, "failed");
  }

  /**
   * Moves to {@code to} and writes the transition without waiting for the write: the sequence
   * number keeps the read model ordered, and {@link #flushWrites} waits before an answer goes out.
   */
  private void record(SandboxState to, String action, Actor actor, String reason, String outcome) {
    record(to, action, actor, reason, outcome, to == ERROR ? error : null);
  }

  private void record(
      SandboxState to,
      String action,
      Actor actor,
      String reason,
      String outcome,
      String auditError) {
    SandboxState from = state;
    state = to;
    seq++;
    updatedAtMs = Workflow.currentTimeMillis();
    Workflow.upsertTypedSearchAttributes(
        SearchAttributes.STATE.valueSet(to.wire()),
        SearchAttributes.TENANT.valueSet(input.tenantId()),
        hostId == null
            ? SearchAttributes.HOST.valueUnset()
            : SearchAttributes.HOST.valueSet(hostId));
    Transition transition =
        new Transition(
            Workflow.randomUUID().toString(),
            seq,
            input.sandboxId(),
            input.tenantId(),
            hostId,
            from,
            to,
            containerId,
            auditError,
            actor,
            action,
            reason,
            outcome,
            updatedAtMs,
            lastActivityAtMs,
            archiveId);
    unflushedWrites.add(Async.procedure(store::recordTransition, transition));
  }

  private void flushWrites() {
    for (Promise<Void> write : unflushedWrites) {
      write.get();
    }
    unflushedWrites.clear();
  }

  private void continueAsNew() {
    flushWrites();
    // An operation accepted while waiting is served first; continue-as-new is tried again later.
    Workflow.await(() -> !queue.isEmpty() || Workflow.isEveryHandlerFinished());
    if (!queue.isEmpty()) {
      return;
    }
    Workflow.continueAsNew(
        new SandboxWorkflowInput(
            input.sandboxId(),
            input.tenantId(),
            input.spec(),
            input.createdAtMs(),
            new SandboxWorkflowInput.Carried(
                state,
                hostId,
                containerId,
                error,
                lastActivityAtMs,
                archiveId,
                List.copyOf(runningTasks),
                seq)));
  }

  private void require(String operation, Set<SandboxState> allowed) {
    if (!allowed.contains(projected)) {
      throw invalidState(operation, projected);
    }
  }

  private static ApplicationFailure invalidState(String operation, SandboxState current) {
    return ApplicationFailure.newNonRetryableFailure(
        "cannot " + operation + " a sandbox that is " + current.wire(),
        ErrorType.INVALID_STATE.name());
  }

  private static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure timeout) {
      // The proto enum name (TIMEOUT_TYPE_START_TO_CLOSE) without its prefix: start_to_close.
      String type = timeout.getTimeoutType().name().replaceFirst("^TIMEOUT_TYPE_", "");
      return "timed out (" + type.toLowerCase(java.util.Locale.ROOT) + ")";
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }

  private ContainerRef ref() {
    return new ContainerRef(input.sandboxId());
  }

  private void bindHost(String hostId) {
    host =
        Workflow.newActivityStub(
            HostActivities.class, ActivityOptionsCatalog.containerCalls(hostId));
    archives =
        Workflow.newActivityStub(
            ArchiveActivities.class, ActivityOptionsCatalog.archiveTransfers(hostId));
  }

  private SandboxView view() {
    return new SandboxView(
        input.sandboxId(),
        input.tenantId(),
        hostId,
        state,
        containerId,
        error,
        input.spec(),
        input.createdAtMs(),
        updatedAtMs,
        lastActivityAtMs,
        archiveId);
  }
}
