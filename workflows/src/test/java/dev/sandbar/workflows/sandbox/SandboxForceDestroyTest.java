package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.DESTROYING;
import static dev.sandbar.workflows.model.SandboxState.PAUSING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.model.SandboxState.STOPPING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.accepted;
import static dev.sandbar.workflows.sandbox.SandboxHarness.container;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static dev.sandbar.workflows.testing.TemporalHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.TemporalHarness.Gate;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateHandle;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** A force destroy abandons the stuck step and destroys through the normal steps. */
class SandboxForceDestroyTest {

  private static final DestroyRequest FORCE =
      new DestroyRequest(Actor.ADMIN, "force destroy", false);

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void abandonsAWriteThatRetriesForeverAndDestroys() throws Exception {
    SandboxWorkflow sandbox = harness.running(spec());
    AtomicInteger stoppedWrites = new AtomicInteger();
    List<Transition> landed = new CopyOnWriteArrayList<>();
    doAnswer(
            invocation -> {
              Transition transition = invocation.getArgument(0);
              if (transition.to() == STOPPED) {
                stoppedWrites.incrementAndGet();
                throw new IllegalStateException("the database refuses this row");
              }
              landed.add(transition);
              return null;
            })
        .when(harness.store)
        .recordTransition(any());
    WorkflowUpdateHandle<SandboxView> stop =
        WorkflowStub.fromTyped(sandbox).startUpdate(accepted("stop"), Operation.user());
    eventually("the stopped write is retried", () -> stoppedWrites.get() >= 2);

    SandboxView destroyed = sandbox.forceDestroy(FORCE);

    assertThat(destroyed.state()).isEqualTo(DESTROYED);
    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
    verify(harness.host).removeContainer(new ContainerRef(SANDBOX_ID));
    assertThat(landed).extracting(Transition::to).endsWith(STOPPING, DESTROYING, DESTROYED);
    Transition destroying = landed.get(landed.size() - 2);
    assertThat(destroying.actor()).isEqualTo(Actor.ADMIN);
    assertThat(destroying.reason()).isEqualTo("force destroy");
    Transition last = landed.getLast();
    assertThat(last.actor()).isEqualTo(Actor.ADMIN);
    assertThat(last.seq()).isGreaterThan(destroying.seq());
    assertThatThrownBy(() -> stop.getResultAsync().get())
        .isInstanceOf(ExecutionException.class)
        .hasStackTraceContaining("abandoned");
    int writesAtEnd = stoppedWrites.get();
    Thread.sleep(300);
    assertThat(stoppedWrites.get())
        .as("the stuck write is no longer retried")
        .isEqualTo(writesAtEnd);
  }

  @Test
  void waitsForTheAbandonedContainerCallBeforeRemovingTheContainer() throws Exception {
    SandboxWorkflow sandbox = harness.running(spec());
    Gate gate = harness.gate();
    when(harness.host.pauseContainer(any()))
        .thenAnswer(gate.thenReturn(container(ContainerStatus.PAUSED)));
    WorkflowStub.fromTyped(sandbox).startUpdate(accepted("pause"), Operation.user());
    gate.awaitEntered();
    harness.awaitState(sandbox, PAUSING);

    WorkflowUpdateHandle<SandboxView> force =
        WorkflowStub.fromTyped(sandbox).startUpdate(accepted("forceDestroy"), FORCE);
    Thread.sleep(500);
    verify(harness.host, never()).removeContainer(any());
    gate.open();

    assertThat(force.getResultAsync().get().state()).isEqualTo(DESTROYED);
    InOrder order = inOrder(harness.host);
    order.verify(harness.host).pauseContainer(any());
    order.verify(harness.host).removeContainer(new ContainerRef(SANDBOX_ID));
  }

  @Test
  void abandonsACreationWhosePlacementRetriesForever() {
    AtomicInteger placements = new AtomicInteger();
    when(harness.store.placeSandbox(any()))
        .thenAnswer(
            invocation -> {
              placements.incrementAndGet();
              throw new IllegalStateException("the database is refusing connections");
            });
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));
    eventually("placement is retried", () -> placements.get() >= 2);

    assertThat(sandbox.forceDestroy(FORCE).state()).isEqualTo(DESTROYED);

    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
    // Never placed, so there is no container anywhere to remove.
    verify(harness.host, never()).createContainer(any());
    verify(harness.host, never()).removeContainer(any());
  }

  @Test
  void fromASettledStateIsAPlainDestroyAndQueuedOperationsAreRefused() {
    SandboxWorkflow sandbox = harness.running(spec());

    assertThat(sandbox.forceDestroy(FORCE).state()).isEqualTo(DESTROYED);

    verify(harness.store)
        .recordTransition(argThat(t -> t.to() == DESTROYED && t.actor() == Actor.ADMIN));
    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
  }
}
