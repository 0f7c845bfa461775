package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.ERROR;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.SearchAttributes;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.model.TransitionOutcome;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.slf4j.Logger;

/**
 * Moves the sandbox to a state and records it: the read model and audit log (one write, ordered by
 * the sequence number) and the search attributes. Writes go out without waiting; {@link #flush}
 * waits for them before an answer goes out.
 */
final class TransitionRecorder {

  private static final Logger log = Workflow.getLogger(TransitionRecorder.class);

  /**
   * Writes are abandoned at once when a force destroy cancels their step (the default {@code
   * TRY_CANCEL}), not waited for like the steps' Docker activities: a write that lands late loses
   * to the destroy's writes, which come later in sequence, while waiting for the cancellation of a
   * write that fails on every attempt could wait forever (a running attempt learns of it only by
   * failing, and is then retried).
   */
  private final StoreActivities store =
      Workflow.newActivityStub(StoreActivities.class, ActivityOptionsCatalog.DATABASE);

  private final List<Promise<Void>> unflushedWrites = new ArrayList<>();
  private final SandboxFacts facts;

  TransitionRecorder(SandboxFacts facts) {
    this.facts = facts;
  }

  /** The attempt moved the sandbox to {@code to}. */
  void ok(SandboxState to, Attempt attempt) {
    record(to, attempt, attempt.reason(), TransitionOutcome.OK, null);
  }

  /** The attempt failed but left (or put back) the sandbox in {@code to}; audited with why. */
  void failedAttempt(SandboxState to, Attempt attempt, String message) {
    record(to, attempt, attempt.reason(), TransitionOutcome.FAILED, message);
  }

  /**
   * The attempt failed and left the sandbox in error. An activity cancelled by a force destroy is
   * no failure of the sandbox: it is rethrown, abandoning the step.
   */
  void fail(Attempt attempt, ActivityFailure failure) {
    if (failure.getCause() instanceof CanceledFailure) {
      throw failure;
    }
    facts.error = attempt.action().wire() + " failed: " + describe(failure);
    log.warn("sandbox {} {}", facts.input.sandboxId(), facts.error);
    record(ERROR, attempt, null, TransitionOutcome.FAILED, facts.error);
  }

  /**
   * A force destroy abandoned the step that made these writes: they were cancelled, or landed
   * before. Either way the destroy's writes come later in sequence and win.
   */
  void abandonUnflushed() {
    unflushedWrites.clear();
  }

  void flush() {
    for (Promise<Void> write : unflushedWrites) {
      write.get();
    }
    unflushedWrites.clear();
  }

  private void record(
      SandboxState to,
      Attempt attempt,
      String reason,
      TransitionOutcome outcome,
      String auditError) {
    SandboxState from = facts.state;
    facts.state = to;
    facts.seq++;
    facts.updatedAtMs = Workflow.currentTimeMillis();
    String tenantId = facts.input.tenantId();
    Workflow.upsertTypedSearchAttributes(
        SearchAttributes.STATE.valueSet(to.wire()),
        SearchAttributes.TENANT.valueSet(tenantId),
        facts.hostId == null
            ? SearchAttributes.HOST.valueUnset()
            : SearchAttributes.HOST.valueSet(facts.hostId));
    Transition transition =
        new Transition(
            Workflow.randomUUID().toString(),
            facts.seq,
            facts.input.sandboxId(),
            tenantId,
            facts.hostId,
            from,
            to,
            facts.containerId,
            auditError,
            attempt.actor(),
            attempt.action().wire(),
            reason,
            outcome.wire(),
            facts.updatedAtMs,
            facts.lastActivityAtMs,
            facts.archiveId);
    unflushedWrites.add(Async.procedure(store::recordTransition, transition));
  }

  /** Why an activity failed, in words for the audit log and the caller. */
  static String describe(ActivityFailure failure) {
    Throwable cause = failure.getCause();
    if (cause instanceof ApplicationFailure app) {
      return app.getOriginalMessage();
    }
    if (cause instanceof TimeoutFailure timeout) {
      // The proto enum name (TIMEOUT_TYPE_START_TO_CLOSE) without its prefix: start_to_close.
      String type = timeout.getTimeoutType().name().replaceFirst("^TIMEOUT_TYPE_", "");
      return "timed out (" + type.toLowerCase(Locale.ROOT) + ")";
    }
    return cause == null ? failure.getMessage() : cause.getMessage();
  }
}
