package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.RUNNING;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.HealthStoreActivities;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.Health;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.SandboxHealth;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * What the sandbox does with its container's health, as reconciliation reports it: the health goes
 * to the read model, and an unhealthy sandbox whose spec says {@code restartPolicy: on-unhealthy}
 * is restarted by the workflow (audited with actor {@code system} and the reason). A restart starts
 * the health check afresh: Docker needs its {@code retries} failures in a row again before the next
 * report of unhealthy, which bounds how often a sandbox that stays sick is restarted.
 */
final class HealthReports {

  private static final Logger log = Workflow.getLogger(HealthReports.class);

  /** Version marker: health reports are adopted (histories from before never carry one). */
  static final String CHANGE = "sandbox-health";

  private final HealthStoreActivities store =
      Workflow.newActivityStub(HealthStoreActivities.class, ActivityOptionsCatalog.DATABASE);
  private final SandboxFacts facts;

  HealthReports(SandboxFacts facts) {
    this.facts = facts;
  }

  /**
   * Handles a report about the health of the running container the workflow already knows of, and
   * answers true; any other report (a change of state) is not this class's and answers false. The
   * report has already been judged adoptable (at rest, current, nothing queued).
   */
  boolean handle(Observation observation, OperationQueue operations) {
    if (observation.health() == null || observation.state() != RUNNING || facts.state != RUNNING) {
      return false;
    }
    if (Workflow.getVersion(CHANGE, Workflow.DEFAULT_VERSION, 1) == Workflow.DEFAULT_VERSION) {
      return false;
    }
    Health health = observation.health();
    Async.procedure(
        store::recordHealth, new SandboxHealth(facts.input.sandboxId(), facts.seq, health));
    if (health == Health.UNHEALTHY && facts.input.spec().restartsWhenUnhealthy()) {
      String reason =
          "health check failing on host "
              + observation.hostId()
              + ": restarted by restartPolicy on-unhealthy";
      log.info("sandbox {}: {}", facts.input.sandboxId(), reason);
      SandboxOperation restart = SandboxOperation.RESTART;
      operations.project(restart);
      operations.enqueueUnanswered(
          restart,
          new Attempt(restart.action(), Actor.SYSTEM, reason),
          new ContainerSteps.Request(false, null));
    }
    return true;
  }
}
