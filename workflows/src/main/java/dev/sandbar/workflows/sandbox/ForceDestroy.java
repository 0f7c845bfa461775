package dev.sandbar.workflows.sandbox;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Functions;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;

/**
 * The workflow's side of a force destroy: the loop runs each step through {@link #abandonable}, in
 * a cancellation scope that {@link #request} cancels. Cancelling generates commands only once a
 * force destroy is asked for, so histories without one replay unchanged.
 */
final class ForceDestroy {

  /** The destroy asked for and not yet run. */
  private Attempt pending;

  /** The scope of the step the loop runs now. */
  private CancellationScope inFlight;

  boolean requested() {
    return pending != null;
  }

  Attempt attempt() {
    return pending;
  }

  /** Asks for the destroy (once) and cancels the step in flight. */
  void request(DestroyRequest request) {
    if (pending != null) {
      return;
    }
    pending =
        new Attempt(
            SandboxOperation.DESTROY.action(),
            request.actor() == null ? Actor.USER : request.actor(),
            request.reason());
    if (inFlight != null) {
      inFlight.cancel("force destroy");
    }
  }

  /** The destroy has run: the callers waiting in {@link #awaitDone} answer. */
  void done() {
    pending = null;
  }

  void awaitDone() {
    Workflow.await(() -> pending == null);
  }

  /**
   * Runs one step of the loop in a scope a force destroy can cancel. Answers null when the step was
   * abandoned that way (or not started, a force destroy being due); any other failure is rethrown.
   */
  <T> T abandonable(Functions.Func<T> step) {
    if (pending != null) {
      return null;
    }
    List<T> result = new ArrayList<>(1);
    CancellationScope scope = Workflow.newCancellationScope(() -> result.add(step.apply()));
    inFlight = scope;
    try {
      scope.run();
      return pending != null && scope.isCancelRequested() ? null : result.get(0);
    } catch (TemporalFailure failure) {
      if (pending == null) {
        throw failure;
      }
      return null;
    } finally {
      inFlight = null;
    }
  }
}
