package dev.sandbar.workflows.sandbox;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CompletablePromise;
import io.temporal.workflow.Workflow;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Locale;

/**
 * The operations update handlers accepted, in order, and where they lead. Validators judge the
 * projected state (where the queue leads); the workflow's loop runs one operation at a time, and
 * checks the same {@link SandboxOperation} table again when its turn comes.
 */
final class OperationQueue {

  /** An accepted operation waiting for its turn, and the promise its update handler answers. */
  private record Pending(
      SandboxOperation operation,
      Attempt attempt,
      ContainerSteps.Request request,
      CompletablePromise<SandboxView> answer) {}

  private final Deque<Pending> queue = new ArrayDeque<>();
  private final SandboxFacts facts;
  private final ContainerSteps steps;
  private final TransitionRecorder recorder;
  private final ForceDestroy force;

  /** Where the sandbox will be once the queued operations have run: what validators judge. */
  private SandboxState projected;

  /** Whether {@link #runNext} is executing an operation. */
  private boolean running;

  OperationQueue(
      SandboxFacts facts,
      ContainerSteps steps,
      TransitionRecorder recorder,
      ForceDestroy force,
      SandboxState projected) {
    this.facts = facts;
    this.steps = steps;
    this.recorder = recorder;
    this.force = force;
    this.projected = projected;
  }

  SandboxState projected() {
    return projected;
  }

  boolean isEmpty() {
    return queue.isEmpty();
  }

  /**
   * Whether an operation of the queue runs now. Some (move, snapshot) keep the sandbox in its state
   * at rest while they pause, remove or create its containers.
   */
  boolean isRunning() {
    return running;
  }

  /** For work the loop starts itself (timers, force destroy): validators judge where it leads. */
  void project(SandboxOperation operation) {
    projected = operation.project(projected);
  }

  /** Queues {@code operation} and waits for its turn to answer (called from an update handler). */
  SandboxView enqueue(
      SandboxOperation operation, Actor actor, String reason, ContainerSteps.Request request) {
    project(operation);
    CompletablePromise<SandboxView> answer = Workflow.newPromise();
    Attempt attempt = new Attempt(operation.action(), actor == null ? Actor.USER : actor, reason);
    queue.add(new Pending(operation, attempt, request, answer));
    return answer.get();
  }

  /** Queues a sync nobody waits for (what a host reports about the sandbox). */
  void enqueueUnanswered(SandboxOperation operation, Attempt attempt, ContainerSteps.Request req) {
    queue.add(new Pending(operation, attempt, req, Workflow.newPromise()));
  }

  /** Runs the next operation and answers its caller. */
  void runNext() {
    running = true;
    try {
      execute(queue.poll());
    } finally {
      running = false;
    }
    settle();
  }

  private void execute(Pending op) {
    if (!op.operation().allowedFrom(facts.state)) {
      // Accepted against the projected state, but an earlier operation failed on the way.
      op.answer().completeExceptionally(op.operation().refusal(facts.state));
      return;
    }
    try {
      TransferResult result =
          force.abandonable(
              () -> {
                TransferResult performed =
                    steps.perform(op.operation(), op.attempt(), op.request());
                if (op.operation() == SandboxOperation.SYNC) {
                  // Where a sync leads is known only once adopted: validators judge against it
                  // from now on, not only once its write is flushed.
                  settle();
                }
                recorder.flush();
                return performed;
              });
      if (result == null) {
        op.answer().completeExceptionally(abandoned(op.operation()));
      } else if (result instanceof TransferResult.Failed failed) {
        op.answer().completeExceptionally(failed.exportFailure());
      } else {
        op.answer().complete(facts.view());
      }
    } catch (TemporalFailure unexpected) {
      op.answer().completeExceptionally(unexpected);
    }
  }

  /**
   * After an operation, validators must judge against its outcome, unless operations queued
   * meanwhile already project further.
   */
  void settle() {
    if (queue.isEmpty() && !force.requested()) {
      projected = facts.state;
    }
  }

  /** The operations still queued when the sandbox is destroyed: each refused. */
  void refuseRemaining() {
    while (!queue.isEmpty()) {
      Pending op = queue.poll();
      op.answer().completeExceptionally(op.operation().refusal(facts.state));
    }
  }

  private static ApplicationFailure abandoned(SandboxOperation operation) {
    return ApplicationFailure.newNonRetryableFailure(
        "the "
            + operation.name().toLowerCase(Locale.ROOT)
            + " was abandoned: the sandbox is being force-destroyed",
        ErrorType.INVALID_STATE.name());
  }
}
