package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.PAUSING;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.sandbox.SandboxHarness.CONTAINER_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.HOST_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.Transition;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The {@code observed} signal: what the host really has wins over what the workflow believed. */
class SandboxReconcileTest {

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aRunningSandboxObservedStoppedIsRecordedStoppedBySystem() {
    SandboxWorkflow sandbox = harness.running(spec());

    sandbox.observed(new Observation(STOPPED, HOST_ID, CONTAINER_ID, "container exited"));

    harness.awaitState(sandbox, STOPPED);
    Transition reconciled = harness.awaitTransitionTo(STOPPED);
    assertThat(reconciled.from()).isEqualTo(RUNNING);
    assertThat(reconciled.action()).isEqualTo("reconcile");
    assertThat(reconciled.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(reconciled.reason()).isEqualTo("container exited");
    assertThat(reconciled.outcome()).isEqualTo("ok");
    // Adopted, not enforced: the host is not asked to stop anything.
    verify(harness.host, never()).stopContainer(any());
    // Operations are judged against the adopted state from then on.
    assertThat(sandbox.start(Operation.user()).state()).isEqualTo(RUNNING);
  }

  @Test
  void anObservationThatMatchesChangesNothing() {
    SandboxWorkflow sandbox = harness.running(spec());
    int writtenBefore = harness.transitions().size();

    sandbox.observed(new Observation(RUNNING, HOST_ID, CONTAINER_ID, "still running"));
    sandbox.pause(Operation.user());

    assertThat(harness.transitions().subList(writtenBefore, harness.transitions().size()))
        .extracting(Transition::to)
        .containsExactly(PAUSING, PAUSED);
  }
}
