package dev.sandbar.workflows.sandbox;

import io.temporal.workflow.Workflow;

/**
 * Which shape of history this run records, decided once, at the first point that depends on it, so
 * a replay decides it at the same point. The slim shape upserts the search attributes only when
 * they change to a settled state (see {@link TransitionRecorder}) and keeps one idle/lifetime timer
 * until it fires instead of arming a new one at every wake-up (see {@link SandboxTimers}); it also
 * implies the transition writes of {@link TransitionRecorder#LOCAL_WRITES_CHANGE}, without that
 * change's own marker.
 */
final class HistoryShape {

  /** Marks the histories recorded in the slim shape. */
  static final String SLIM_HISTORY_CHANGE = "slim-sandbox-history";

  private Boolean slim;

  boolean slim() {
    if (slim == null) {
      slim =
          Workflow.getVersion(SLIM_HISTORY_CHANGE, Workflow.DEFAULT_VERSION, 1)
              != Workflow.DEFAULT_VERSION;
    }
    return slim;
  }
}
