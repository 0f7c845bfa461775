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

  private HostReports() {}

  /**
   * Only a sandbox at rest with nothing queued, that has not moved on since the read model the
   * report was compared with, and not in error (the user clears that by a start or a destroy),
   * adopts a report. A host that cannot be reached makes only a live (running or paused) sandbox
   * {@code missing}. An operation in flight is left to its own activity timeouts.
   */
  static boolean adopts(Observation observation, SandboxFacts facts, boolean nothingQueued) {
    boolean atRest = !facts.state.isTransient() && nothingQueued;
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
}
