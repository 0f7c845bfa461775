package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.ERROR;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.PermanentFailures;
import dev.sandbar.workflows.SearchAttributes;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.model.TransitionOutcome;
import io.temporal.common.SearchAttributeUpdate;
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
 *
 * <p>In the slim history ({@link HistoryShape}) the search attributes follow the settled states
 * only: an operation's transient state (pausing, stopping, ...) lives in the read model, so each
 * operation upserts once instead of twice. {@code creating} is the exception: it is the state a new
 * sandbox is found by until its create ends (the README's stuck-create search).
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

  /**
   * Marks the histories whose transitions are written by a local activity first (a marker in the
   * workflow task that made the transition, instead of an activity's three events and a workflow
   * task of its own); a write that keeps failing goes on as an activity of {@link #store}, so it
   * shows among the stuck operations and a force destroy abandons it as before.
   */
  static final String LOCAL_WRITES_CHANGE = "local-transition-writes";

  private final StoreActivities local =
      Workflow.newLocalActivityStub(StoreActivities.class, ActivityOptionsCatalog.DATABASE_LOCAL);

  /** Decided at this run's first write, so a replay decides it at the same point. */
  private Boolean localFirst;

  private final List<Write> unflushedWrites = new ArrayList<>();
  private final SandboxFacts facts;
  private final HistoryShape shape;

  TransitionRecorder(SandboxFacts facts, HistoryShape shape) {
    this.facts = facts;
    this.shape = shape;
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

  /**
   * Waits for the writes. A local write that failed for a reason a retry may cure is made again as
   * an activity, here, in the scope of the step that flushes: it retries until it lands, shows
   * among the stuck operations meanwhile, and a force destroy abandons it with its step.
   */
  void flush() {
    for (Write write : unflushedWrites) {
      try {
        write.promise().get();
      } catch (ActivityFailure failure) {
        if (!write.local() || PermanentFailures.is(failure)) {
          throw failure;
        }
        store.recordTransition(write.transition());
      }
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
    if (shape.slim()) {
      upsertChangedAttributes(to, tenantId);
    } else {
      Workflow.upsertTypedSearchAttributes(
          SearchAttributes.STATE.valueSet(to.wire()),
          SearchAttributes.TENANT.valueSet(tenantId),
          facts.hostId == null
              ? SearchAttributes.HOST.valueUnset()
              : SearchAttributes.HOST.valueSet(facts.hostId));
    }
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
    unflushedWrites.add(write(transition));
  }

  /**
   * One upsert of what differs from the attributes the workflow has (carried over a continue-as-new
   * too), none when nothing does or {@code to} is transient, unless no state is set yet.
   */
  private void upsertChangedAttributes(SandboxState to, String tenantId) {
    io.temporal.common.SearchAttributes current = Workflow.getTypedSearchAttributes();
    String state = current.get(SearchAttributes.STATE);
    if (to.isTransient() && state != null) {
      return;
    }
    List<SearchAttributeUpdate<?>> changed = new ArrayList<>();
    if (!to.wire().equals(state)) {
      changed.add(SearchAttributes.STATE.valueSet(to.wire()));
    }
    if (!tenantId.equals(current.get(SearchAttributes.TENANT))) {
      changed.add(SearchAttributes.TENANT.valueSet(tenantId));
    }
    String host = current.get(SearchAttributes.HOST);
    if (facts.hostId == null ? host != null : !facts.hostId.equals(host)) {
      changed.add(
          facts.hostId == null
              ? SearchAttributes.HOST.valueUnset()
              : SearchAttributes.HOST.valueSet(facts.hostId));
    }
    if (!changed.isEmpty()) {
      Workflow.upsertTypedSearchAttributes(changed.toArray(SearchAttributeUpdate<?>[]::new));
    }
  }

  private Write write(Transition transition) {
    if (localFirst == null) {
      // The slim shape came after local writes: it implies them, without their own marker.
      localFirst =
          shape.slim()
              || Workflow.getVersion(LOCAL_WRITES_CHANGE, Workflow.DEFAULT_VERSION, 1)
                  != Workflow.DEFAULT_VERSION;
    }
    StoreActivities writer = localFirst ? local : store;
    return new Write(transition, localFirst, Async.procedure(writer::recordTransition, transition));
  }

  /** A write on its way: a local one that failed is handed to {@link #store} when flushed. */
  private record Write(Transition transition, boolean local, Promise<Void> promise) {}

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
