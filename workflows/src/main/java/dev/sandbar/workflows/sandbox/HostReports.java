package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;

import dev.sandbar.workflows.model.Observation;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * Which reports of the reconciliation cron a sandbox adopts (see {@link Observation#basedOnSeq}).
 */
final class HostReports {

  private static final Logger log = Workflow.getLogger(HostReports.class);

  /**
   * Marks the histories in which an operation that keeps the sandbox's state at rest (a move, a
   * snapshot) also keeps reports out: before, a pass that listed a moving sandbox's new container
   * before it was started (or its old one paused for the export) could turn it stopped (or paused)
   * once the move had ended.
   */
  static final String WAIT_FOR_RUNNING_OPERATION = "reports-wait-for-running-operation";

  private HostReports() {}

  /**
   * Only a sandbox at rest with nothing queued or running, that has not moved on since the read
   * model the report was compared with, and not in error (the user clears that by a start or a
   * destroy), adopts a report. A host that cannot be reached makes only a live (running or paused)
   * sandbox {@code missing}. An operation in flight is left to its own activity timeouts.
   */
  static boolean adopts(
      Observation observation,
      SandboxFacts facts,
      boolean nothingQueued,
      boolean operationRunning) {
    boolean atRest =
        !facts.state.isTransient()
            && nothingQueued
            && !(operationRunning && waitsForRunningOperation());
    boolean current = observation.basedOnSeq() == facts.seq;
    boolean adoptable =
        switch (observation.state()) {
          case MISSING -> facts.state == RUNNING || facts.state == PAUSED;
          default -> facts.state != ERROR;
        };
    if (!(atRest && current && adoptable)) {
      log.info(
          "sandbox {} ignores the host's report {} ({}): it is {} at seq {}, report based on seq"
              + " {}",
          facts.input.sandboxId(),
          observation.state().wire(),
          observation.reason(),
          facts.state.wire(),
          facts.seq,
          observation.basedOnSeq());
      return false;
    }
    return true;
  }

  /** Asked only while an operation runs, so histories without one are replayed unchanged. */
  private static boolean waitsForRunningOperation() {
    return Workflow.getVersion(WAIT_FOR_RUNNING_OPERATION, Workflow.DEFAULT_VERSION, 1) == 1;
  }
}
