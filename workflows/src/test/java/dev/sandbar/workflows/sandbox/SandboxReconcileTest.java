package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.MISSING;
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
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.TemporalHarness;
import io.temporal.client.WorkflowClient;
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

  /** The sequence number the workflow is at: that of its last written transition. */
  private long currentSeq() {
    return harness.transitions().getLast().seq();
  }

  @Test
  void aReconciliationReportBasedOnTheCurrentSeqIsAdopted() {
    SandboxWorkflow sandbox = harness.running(spec());

    sandbox.observed(
        new Observation(
            STOPPED, HOST_ID, CONTAINER_ID, "container exited with code 1", currentSeq()));

    harness.awaitState(sandbox, STOPPED);
    assertThat(harness.awaitTransitionTo(STOPPED).reason())
        .isEqualTo("container exited with code 1");
  }

  @Test
  void aReconciliationReportBasedOnAnOlderSeqIsIgnored() {
    SandboxWorkflow sandbox = harness.running(spec());
    long stale = currentSeq() - 1;

    sandbox.observed(new Observation(STOPPED, HOST_ID, CONTAINER_ID, "stale listing", stale));
    sandbox.pause(Operation.user());

    assertThat(sandbox.describe().state()).isEqualTo(PAUSED);
    assertThat(harness.recordedStates()).doesNotContain(STOPPED);
  }

  @Test
  void aReconciliationReportDuringAnOperationIsLeftToThatOperation() {
    SandboxWorkflow sandbox = harness.running(spec());
    long seq = currentSeq();
    TemporalHarness.Gate gate = harness.gate();
    when(harness.host.stopContainer(any()))
        .thenAnswer(gate.thenReturn(SandboxHarness.container(ContainerStatus.EXITED)));
    WorkflowClient.startUpdate(sandbox::stop, Operation.user(), SandboxHarness.accepted("stop"));
    gate.awaitEntered();

    sandbox.observed(
        new Observation(RUNNING, HOST_ID, CONTAINER_ID, "listed before the stop", seq));
    gate.open();

    harness.awaitState(sandbox, STOPPED);
    sandbox.start(Operation.user());
    assertThat(harness.transitions()).filteredOn(t -> "reconcile".equals(t.action())).isEmpty();
  }

  @Test
  void onlyARunningOrPausedSandboxGoesMissing() {
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.stop(Operation.user());

    sandbox.observed(new Observation(MISSING, HOST_ID, null, "host unreachable", currentSeq()));
    sandbox.start(Operation.user());
    assertThat(harness.recordedStates()).doesNotContain(MISSING);

    sandbox.observed(new Observation(MISSING, HOST_ID, null, "host unreachable", currentSeq()));
    harness.awaitState(sandbox, MISSING);
  }

  @Test
  void aLostSandboxIsInErrorWithTheReason() {
    SandboxWorkflow sandbox = harness.running(spec());

    sandbox.observed(
        new Observation(
            ERROR, HOST_ID, null, "lost: container and data volume gone", currentSeq()));

    harness.awaitState(sandbox, ERROR);
    assertThat(sandbox.describe().error()).isEqualTo("lost: container and data volume gone");
    // In error, reconciliation leaves it to the user.
    sandbox.observed(new Observation(STOPPED, HOST_ID, null, "volume back", currentSeq()));
    assertThat(sandbox.start(Operation.user()).state()).isEqualTo(RUNNING);
  }
}
