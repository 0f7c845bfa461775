package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.sandbox.SandboxHarness.CONTAINER_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.HOST_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.reach;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.clearInvocations;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.Relocation;
import dev.sandbar.workflows.model.RestoreData;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.TemporalHarness;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * Moving a sandbox to another host (a drained host's evacuation): preserve on the old host, place
 * elsewhere, restore there in the same state, remove the old container. The harness serves one host
 * queue, so placement answers that host again; what is checked is the order of the steps.
 */
class SandboxMoveTest {

  private static final ContainerRef REF = new ContainerRef(SANDBOX_ID);
  private static final Operation EVACUATE = new Operation(Actor.SYSTEM, "evacuating host-a");

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  static Stream<SandboxState> movableStates() {
    return Stream.of(RUNNING, PAUSED, STOPPED);
  }

  @ParameterizedTest(name = "from {0}")
  @MethodSource("movableStates")
  void aMovedSandboxKeepsItsDataAndItsState(SandboxState from) {
    when(harness.store.relocateSandbox(any())).thenReturn(HOST_ID);
    SandboxWorkflow sandbox = harness.running(spec());
    reach(sandbox, from);
    clearInvocations(harness.host);

    SandboxView moved = sandbox.move(EVACUATE);

    assertThat(moved.state()).isEqualTo(from);
    ArgumentCaptor<ExportData> export = ArgumentCaptor.forClass(ExportData.class);
    ArgumentCaptor<Relocation> relocation = ArgumentCaptor.forClass(Relocation.class);
    ArgumentCaptor<RestoreData> restore = ArgumentCaptor.forClass(RestoreData.class);
    InOrder order = inOrder(harness.host, harness.archives, harness.store);
    if (from == RUNNING) {
      order.verify(harness.host).pauseContainer(REF);
    }
    order.verify(harness.archives).exportData(export.capture());
    order.verify(harness.store).relocateSandbox(relocation.capture());
    order.verify(harness.host).createContainer(any());
    order.verify(harness.archives).restoreData(restore.capture());
    if (from != STOPPED) {
      order.verify(harness.host).startContainer(REF);
    }
    if (from == PAUSED) {
      order.verify(harness.host).pauseContainer(REF);
    }
    order.verify(harness.host).removeContainer(REF);
    if (from == STOPPED) {
      verify(harness.host, never()).startContainer(any());
    }
    verify(harness.host, never()).unpauseContainer(any());
    assertThat(relocation.getValue().fromHostId()).isEqualTo(HOST_ID);
    assertThat(relocation.getValue().placement().sandboxId()).isEqualTo(SANDBOX_ID);
    assertThat(restore.getValue().archive().archiveId())
        .isEqualTo(export.getValue().archiveId())
        .isEqualTo(moved.archiveId());
    Transition last = harness.awaitTransitionTo(from);
    assertThat(last.action()).isEqualTo("move");
    assertThat(last.outcome()).isEqualTo("ok");
    assertThat(last.reason()).isEqualTo("evacuating host-a");
    assertThat(last.hostId()).isEqualTo(HOST_ID);
  }

  @Test
  void aSandboxThatNoHostCanTakeStaysWhereAndAsItWas() {
    when(harness.store.relocateSandbox(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "no online host other than host-a has image sandbar-base:latest",
                ErrorType.NO_HOST_CAPACITY.name()));
    SandboxWorkflow sandbox = harness.running(spec());
    clearInvocations(harness.host);
    int writtenBefore = harness.transitions().size();

    WorkflowUpdateException refused =
        catchThrowableOfType(WorkflowUpdateException.class, () -> sandbox.move(EVACUATE));

    assertThat(refused).isNotNull();
    ApplicationFailure failure = (ApplicationFailure) refused.getCause();
    assertThat(failure.getOriginalMessage())
        .isEqualTo("move failed: no online host other than host-a has image sandbar-base:latest");
    assertThat(failure.getType()).isEqualTo(ErrorType.NO_HOST_CAPACITY.name());
    InOrder order = inOrder(harness.host, harness.archives);
    order.verify(harness.host).pauseContainer(REF);
    order.verify(harness.archives).exportData(any());
    order.verify(harness.host).unpauseContainer(REF);
    verify(harness.host, never()).createContainer(any());
    verify(harness.host, never()).removeContainer(any());
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
    Transition written = harness.transitions().get(writtenBefore);
    assertThat(written.action()).isEqualTo("move");
    assertThat(written.outcome()).isEqualTo("failed");
    assertThat(written.to()).isEqualTo(RUNNING);
    assertThat(written.error()).contains("no online host other than host-a");
  }

  @Test
  void onlyASettledSandboxMoves() {
    when(harness.store.relocateSandbox(any())).thenReturn(HOST_ID);
    when(harness.host.startContainer(any()))
        .thenReturn(SandboxHarness.container(ContainerStatus.RUNNING))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "boom", ErrorType.CONTAINER_CONFIG_REJECTED.name()));
    SandboxWorkflow sandbox = harness.running(spec());
    reach(sandbox, SandboxState.ERROR);

    WorkflowUpdateException refused =
        catchThrowableOfType(WorkflowUpdateException.class, () -> sandbox.move(EVACUATE));

    assertThat(((ApplicationFailure) refused.getCause()).getOriginalMessage())
        .isEqualTo("cannot move a sandbox that is error");
  }

  /**
   * A reconciliation pass that lists the new host while the moving sandbox's container is created
   * but not yet started and paused reports it stopped; the move is in flight, so the report is left
   * to it (before, it was adopted once the move ended: a paused sandbox ended stopped).
   */
  @Test
  void aHostReportDuringAMoveIsLeftToTheMove() {
    when(harness.store.relocateSandbox(any())).thenReturn(HOST_ID);
    SandboxWorkflow sandbox = harness.running(spec());
    reach(sandbox, PAUSED);
    long seq = harness.transitions().getLast().seq();
    TemporalHarness.Gate gate = harness.gate();
    when(harness.host.createContainer(any()))
        .thenAnswer(gate.thenReturn(SandboxHarness.container(ContainerStatus.CREATED)));
    WorkflowClient.startUpdate(sandbox::move, EVACUATE, SandboxHarness.accepted("move"));
    gate.awaitEntered();

    sandbox.observed(new Observation(STOPPED, HOST_ID, CONTAINER_ID, "container not running", seq));
    gate.open();

    // Queued behind the move: refused if the report had turned the sandbox stopped meanwhile.
    assertThat(sandbox.resume(Operation.user()).state()).isEqualTo(RUNNING);
    assertThat(harness.transitions()).filteredOn(t -> "reconcile".equals(t.action())).isEmpty();
  }
}
