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
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.TransitionAction;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;

/**
 * The steps of each operation: the host activities it calls, in order, and the transitions it
 * records on the way. A failed activity leaves the sandbox in error; only a failed export is
 * answered as a failure of the operation.
 */
final class ContainerSteps {

  private final StoreActivities store =
      Workflow.newActivityStub(StoreActivities.class, ActivityOptionsCatalog.DATABASE);
  private final SandboxFacts facts;
  private final TransitionRecorder recorder;
  private final SandboxTimers timers;
  private final RunningCommands commands;
  private final ContainerRef ref;
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
            HostActivities.class, ActivityOptionsCatalog.containerCalls(hostId));
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
      case SYNC -> sync(request.observed());
    }
    return TransferResult.DONE;
  }

  /** What an operation asked for beyond who and why. */
  record Request(boolean preserveData, Observation observed) {}

  /** Places the sandbox on a host and creates, restores and starts its container. */
  void create() {
    Attempt attempt = new Attempt(TransitionAction.CREATE, Actor.USER, null);
    SandboxSpec spec = facts.input.spec();
    recorder.ok(CREATING, attempt);
    try {
      facts.hostId =
          store.placeSandbox(
              new Placement(
                  facts.input.sandboxId(), spec.resources(), spec.hostLabels(), spec.image()));
      bind(facts.hostId);
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
