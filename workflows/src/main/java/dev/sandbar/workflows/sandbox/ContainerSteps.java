package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.CREATING;
import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.DESTROYING;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.PAUSING;
import static dev.sandbar.workflows.model.SandboxState.RESUMING;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STARTING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.model.SandboxState.STOPPING;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.PermanentFailures;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.LifetimeChange;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.Relocation;
import dev.sandbar.workflows.model.SandboxLifetime;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.TransitionAction;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * The steps of each operation: the host activities it calls, in order, and the transitions it
 * records on the way. A failed activity leaves the sandbox in error; only a failed export is
 * answered as a failure of the operation.
 */
final class ContainerSteps {

  /** Marks the histories in which a sandbox may move between hosts. */
  static final String MOVE_CHANGE = "move-between-hosts";

  /**
   * Marks the histories whose create places the sandbox by a local activity (a marker in the first
   * workflow task instead of an activity and a workflow task of its own) and, when nothing is
   * restored, creates and starts the container in one host activity (one activity and workflow task
   * fewer; the transitions stay creating, starting, running).
   */
  static final String CREATE_AND_START_CHANGE = "create-and-start";

  private static final Logger log = Workflow.getLogger(ContainerSteps.class);

  private final StoreActivities store =
      Workflow.newActivityStub(
          StoreActivities.class, StepActivities.of(ActivityOptionsCatalog.DATABASE));
  private final StoreActivities localStore =
      Workflow.newLocalActivityStub(StoreActivities.class, ActivityOptionsCatalog.DATABASE_LOCAL);
  private final SandboxFacts facts;
  private final TransitionRecorder recorder;
  private final SandboxTimers timers;
  private final RunningCommands commands;
  private final ContainerRef ref;
  private final PooledCreate pool = new PooledCreate();
  private HostActivities host;
  private DataTransfers transfers;

  ContainerSteps(
      SandboxFacts facts,
      TransitionRecorder recorder,
      SandboxTimers timers,
      RunningCommands commands) {
    this.facts = facts;
    this.recorder = recorder;
    this.timers = timers;
    this.commands = commands;
    this.ref = new ContainerRef(facts.input.sandboxId());
  }

  /** Sends the host activities to the queue of the sandbox's host. */
  void bind(String hostId) {
    host =
        Workflow.newActivityStub(
            HostActivities.class, StepActivities.of(ActivityOptionsCatalog.containerCalls(hostId)));
    transfers = new DataTransfers(facts, recorder, host, hostId);
  }

  /** Runs one queued operation, already checked against the table. */
  TransferResult perform(SandboxOperation operation, Attempt attempt, Request request) {
    switch (operation) {
      case START -> start(attempt);
      case STOP -> stop(attempt);
      case PAUSE -> pause(attempt);
      case RESUME -> resume(attempt);
      case RESTART -> {
        if (facts.state == RUNNING || facts.state == PAUSED) {
          stop(attempt);
        }
        if (facts.state == STOPPED || facts.state == ERROR) {
          start(attempt);
        }
      }
      case DESTROY -> {
        return destroy(attempt, request.preserveData());
      }
      case SNAPSHOT -> {
        return transfers.export(facts.state, attempt, true);
      }
      case MOVE -> {
        return move(attempt);
      }
      case SYNC -> sync(request.observed());
      case LIFETIME -> changeLifetime(request.lifetime());
    }
    return TransferResult.DONE;
  }

  /** What an operation asked for beyond who and why. */
  record Request(boolean preserveData, Observation observed, LifetimeChange lifetime) {

    Request(boolean preserveData, Observation observed) {
      this(preserveData, observed, null);
    }
  }

  /**
   * Moves the end of the sandbox's lifetime: the read model first, then the spec the timer reads,
   * so an answer never shows a lifetime the read model does not have.
   */
  private void changeLifetime(LifetimeChange change) {
    SandboxSpec spec = facts.input.spec();
    long ttl =
        change.ttlSecondsAt(
            Workflow.currentTimeMillis(), facts.input.createdAtMs(), spec.ttlSeconds());
    if (ttl != spec.ttlSeconds()) {
      store.recordLifetime(new SandboxLifetime(facts.input.sandboxId(), ttl));
      facts.input = facts.input.withSpec(spec.withTtlSeconds(ttl));
    }
  }

  /** Places the sandbox on a host and creates, restores and starts its container. */
  void create() {
    Attempt attempt = new Attempt(TransitionAction.CREATE, Actor.USER, null);
    SandboxSpec spec = facts.input.spec();
    boolean combined =
        Workflow.getVersion(CREATE_AND_START_CHANGE, Workflow.DEFAULT_VERSION, 1)
            != Workflow.DEFAULT_VERSION;
    recorder.ok(CREATING, attempt);
    try {
      Placement placement =
          new Placement(facts.input.sandboxId(), spec.resources(), spec.hostLabels(), spec.image());
      facts.hostId = combined ? placeLocally(placement) : store.placeSandbox(placement);
      bind(facts.hostId);
      ContainerInfo pooled = pool.claim(createRequest(), host);
      if (pooled != null) {
        facts.containerId = pooled.containerId();
        timers.markActivity();
        recorder.ok(RUNNING, attempt);
        recorder.flush();
        return;
      }
      if (combined && spec.restoreFrom() == null) {
        recorder.ok(STARTING, attempt);
        facts.containerId = host.createAndStartContainer(createRequest()).containerId();
        timers.markActivity();
        recorder.ok(RUNNING, attempt);
        recorder.flush();
        return;
      }
      facts.containerId = host.createContainer(createRequest()).containerId();
      if (spec.restoreFrom() != null && transfers.restore() instanceof TransferResult.Failed) {
        recorder.flush();
        return;
      }
      recorder.ok(STARTING, attempt);
      host.startContainer(ref);
      timers.markActivity();
      recorder.ok(RUNNING, attempt);
    } catch (ActivityFailure failure) {
      recorder.fail(attempt, failure);
    }
    recorder.flush();
  }

  /**
   * Placement inside the workflow task: one short transaction whose retry returns the host it chose
   * before (the row holds it), so a workflow task run again after a worker died places nothing
   * twice. A failure a retry may cure goes on as an activity, which retries as long as the database
   * is away.
   */
  private String placeLocally(Placement placement) {
    return PermanentFailures.localFirst(
        () -> localStore.placeSandbox(placement), () -> store.placeSandbox(placement));
  }

  /**
   * Moves the sandbox to another host: exports its data path (pausing a running one), takes another
   * host from placement, creates the container there from the archive, brings it to the state it
   * was in, then removes the old container and volume. An export or placement that fails leaves the
   * sandbox where and as it was (audited with why); a failure on the new host leaves it in error
   * there, its data in the archive.
   */
  private TransferResult move(Attempt attempt) {
    Workflow.getVersion(MOVE_CHANGE, Workflow.DEFAULT_VERSION, 1);
    SandboxState before = facts.state;
    if (before == RUNNING) {
      commands.killAll();
    }
    TransferResult exported = transfers.export(before, attempt, false);
    if (exported instanceof TransferResult.Failed) {
      return exported;
    }
    String from = facts.hostId;
    String to;
    try {
      SandboxSpec spec = facts.input.spec();
      to =
          store.relocateSandbox(
              new Relocation(
                  new Placement(
                      facts.input.sandboxId(), spec.resources(), spec.hostLabels(), spec.image()),
                  from));
    } catch (ActivityFailure noHost) {
      String message = "move failed: " + TransitionRecorder.describe(noHost);
      if (before == RUNNING) {
        try {
          host.unpauseContainer(ref);
        } catch (ActivityFailure unpauseFailed) {
          recorder.fail(attempt, unpauseFailed);
          return new TransferResult.Failed(message);
        }
      }
      recorder.failedAttempt(before, attempt, message);
      recorder.flush();
      // Answered with placement's own failure type (no host capacity), not as a failed export.
      throw ApplicationFailure.newNonRetryableFailure(
          message,
          noHost.getCause() instanceof ApplicationFailure cause
              ? cause.getType()
              : ErrorType.NO_HOST_CAPACITY.name());
    }
    HostActivities old = host;
    try {
      facts.hostId = to;
      bind(to);
      facts.containerId = host.createContainer(createRequest()).containerId();
      if (transfers.restore(facts.archiveId, attempt) instanceof TransferResult.Failed) {
        return TransferResult.DONE;
      }
      if (before != STOPPED) {
        host.startContainer(ref);
        timers.markActivity();
      }
      if (before == PAUSED) {
        host.pauseContainer(ref);
      }
    } catch (ActivityFailure failure) {
      recorder.fail(attempt, failure);
      return TransferResult.DONE;
    }
    try {
      old.removeContainer(ref);
    } catch (ActivityFailure oldHostFailed) {
      // The sandbox runs on its new host; what is left on the old one is a zombie for the
      // host's reconciliation to remove.
      log.warn(
          "sandbox {} moved, but its old container on {} was not removed",
          facts.input.sandboxId(),
          from);
    }
    recorder.ok(before, attempt);
    return TransferResult.DONE;
  }

  /** The idle timer fired: pause or stop, as the spec says. */
  void idle() {
    String reason = "idle for " + facts.input.spec().idleTimeoutSeconds() + "s";
    if (facts.input.spec().idleAction() == IdleAction.STOP) {
      stop(new Attempt(TransitionAction.IDLE_STOP, Actor.SYSTEM, reason));
    } else {
      pause(new Attempt(TransitionAction.PAUSE, Actor.SYSTEM, reason));
    }
    recorder.flush();
  }

  /** Removes the container, after exporting the data path when asked; a failed export aborts. */
  TransferResult destroy(Attempt attempt, boolean preserveData) {
    SandboxState before = facts.state;
    recorder.ok(DESTROYING, attempt);
    if (preserveData) {
      TransferResult exported = transfers.export(before, attempt, false);
      if (exported instanceof TransferResult.Failed) {
        return exported;
      }
    }
    commands.killAll();
    try {
      if (host != null) {
        host.removeContainer(ref);
      }
      facts.containerId = null;
      recorder.ok(DESTROYED, attempt);
    } catch (ActivityFailure failure) {
      recorder.fail(attempt, failure);
    }
    return TransferResult.DONE;
  }

  private void start(Attempt attempt) {
    recorder.ok(STARTING, attempt);
    try {
      // Create is idempotent: it finds the existing container, or re-creates one around the
      // surviving data volume if the container was removed behind Sandbar's back.
      ContainerInfo info = host.createContainer(createRequest());
      facts.containerId = info.containerId();
      host.startContainer(ref);
      facts.error = null;
      timers.markActivity();
      recorder.ok(RUNNING, attempt);
    } catch (ActivityFailure failure) {
      recorder.fail(attempt, failure);
    }
  }

  private void stop(Attempt attempt) {
    recorder.ok(STOPPING, attempt);
    commands.killAll();
    try {
      host.stopContainer(ref);
      recorder.ok(STOPPED, attempt);
    } catch (ActivityFailure failure) {
      recorder.fail(attempt, failure);
    }
  }

  private void pause(Attempt attempt) {
    recorder.ok(PAUSING, attempt);
    try {
      host.pauseContainer(ref);
      recorder.ok(PAUSED, attempt);
    } catch (ActivityFailure failure) {
      recorder.fail(attempt, failure);
    }
  }

  private void resume(Attempt attempt) {
    recorder.ok(RESUMING, attempt);
    try {
      host.unpauseContainer(ref);
      timers.markActivity();
      recorder.ok(RUNNING, attempt);
    } catch (ActivityFailure failure) {
      recorder.fail(attempt, failure);
    }
  }

  /** Adopts what the host reports, when it differs from what this workflow believes. */
  private void sync(Observation observed) {
    if (observed.state() == facts.state) {
      return;
    }
    if (observed.containerId() != null) {
      facts.containerId = observed.containerId();
    }
    if (observed.state() == RUNNING) {
      timers.markActivity();
    }
    if (observed.state() == ERROR) {
      // The host lost the sandbox (reconciliation): the reason is what the user reads.
      facts.error = observed.reason();
    }
    recorder.ok(
        observed.state(), new Attempt(TransitionAction.RECONCILE, Actor.SYSTEM, observed.reason()));
  }

  private CreateContainer createRequest() {
    return new CreateContainer(
        facts.input.sandboxId(), facts.input.tenantId(), facts.hostId, facts.input.spec());
  }
}
