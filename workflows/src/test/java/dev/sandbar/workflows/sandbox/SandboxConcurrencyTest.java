package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.CREATING;
import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.DESTROYING;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.PAUSING;
import static dev.sandbar.workflows.model.SandboxState.RESUMING;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STARTING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.model.SandboxState.STOPPING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.accepted;
import static dev.sandbar.workflows.sandbox.SandboxHarness.container;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.TemporalHarness.Gate;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.failure.ApplicationFailure;
import io.temporal.workflow.Functions;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/**
 * Operations that arrive while another is in flight: they queue behind it, are validated against
 * the state the queue leads to, and destroy is accepted from every transient state.
 */
class SandboxConcurrencyTest {

  private static final DestroyRequest DESTROY = new DestroyRequest(Actor.USER, "cleanup", false);

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void stopThenStartSentTogetherBothSucceedInArrivalOrder() {
    SandboxWorkflow sandbox = harness.running(spec());
    Gate stopping = hold(host -> host.stopContainer(any()), ContainerStatus.EXITED);

    WorkflowUpdateHandle<SandboxView> stop = sendHeld(sandbox::stop, "stop", stopping);
    // Running now, stopped once the queue has drained: start is valid against the latter.
    WorkflowUpdateHandle<SandboxView> start =
        WorkflowClient.startUpdate(sandbox::start, Operation.user(), accepted("start"));
    assertThat(sandbox.describe().state()).isEqualTo(STOPPING);
    stopping.open();

    assertThat(stop.getResult().state()).isEqualTo(STOPPED);
    assertThat(start.getResult().state()).isEqualTo(RUNNING);
    InOrder order = inOrder(harness.host);
    order.verify(harness.host).stopContainer(new ContainerRef(SANDBOX_ID));
    order.verify(harness.host).startContainer(new ContainerRef(SANDBOX_ID));
    assertThat(harness.recordedStates())
        .containsExactly(CREATING, STARTING, RUNNING, STOPPING, STOPPED, STARTING, RUNNING);
  }

  @Test
  void pauseAfterAQueuedStopIsRejectedAgainstTheProjectedState() {
    SandboxWorkflow sandbox = harness.running(spec());
    Gate stopping = hold(host -> host.stopContainer(any()), ContainerStatus.EXITED);
    WorkflowUpdateHandle<SandboxView> stop = sendHeld(sandbox::stop, "stop", stopping);

    WorkflowUpdateException rejected =
        catchThrowableOfType(WorkflowUpdateException.class, () -> sandbox.pause(Operation.user()));

    ApplicationFailure failure = (ApplicationFailure) rejected.getCause();
    assertThat(failure.getType()).isEqualTo(ErrorType.INVALID_STATE.name());
    assertThat(failure.getOriginalMessage()).isEqualTo("cannot pause a sandbox that is stopped");
    assertThat(sandbox.describe().state()).isEqualTo(STOPPING);
    stopping.open();
    assertThat(stop.getResult().state()).isEqualTo(STOPPED);
    verify(harness.host, never()).pauseContainer(any());
  }

  @Test
  void operationsSentFromSeveralThreadsRunOneAtATime() throws Exception {
    SandboxWorkflow sandbox = harness.running(spec());
    // Each caller blocks until its operation is done, so each needs its own thread.
    ExecutorService callers = Executors.newFixedThreadPool(3);
    Gate pausing = hold(host -> host.pauseContainer(any()), ContainerStatus.PAUSED);

    CompletableFuture<SandboxView> pause =
        CompletableFuture.supplyAsync(() -> sandbox.pause(Operation.user()), callers);
    pausing.awaitEntered();
    CompletableFuture<SandboxView> resume =
        CompletableFuture.supplyAsync(() -> sandbox.resume(Operation.user()), callers);
    harness.awaitQueued(sandbox, "resume");
    CompletableFuture<SandboxView> stop =
        CompletableFuture.supplyAsync(() -> sandbox.stop(Operation.user()), callers);
    harness.awaitQueued(sandbox, "stop");
    assertThat(pause).isNotDone();
    assertThat(resume).isNotDone();
    pausing.open();

    assertThat(pause.get().state()).isEqualTo(PAUSED);
    assertThat(resume.get().state()).isEqualTo(RUNNING);
    assertThat(stop.get().state()).isEqualTo(STOPPED);
    assertThat(harness.recordedStates().subList(3, harness.recordedStates().size()))
        .containsExactly(PAUSING, PAUSED, RESUMING, RUNNING, STOPPING, STOPPED);
    assertThat(harness.transitions())
        .extracting(Transition::seq)
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L);
    callers.shutdown();
  }

  @Test
  void aQueuedOperationFailsWhenTheOneBeforeItLeftAnotherState() {
    SandboxWorkflow sandbox = harness.running(spec());
    Gate stopping = hold(host -> host.stopContainer(any()), ContainerStatus.EXITED);
    when(harness.host.createContainer(any()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("image gone", "IMAGE_NOT_FOUND"));
    WorkflowUpdateHandle<SandboxView> stop = sendHeld(sandbox::stop, "stop", stopping);
    WorkflowUpdateHandle<SandboxView> start =
        WorkflowClient.startUpdate(sandbox::start, Operation.user(), accepted("start"));
    // Accepted because start leads to running; it will fail, so this pause must not run.
    WorkflowUpdateHandle<SandboxView> pause =
        WorkflowClient.startUpdate(sandbox::pause, Operation.user(), accepted("pause"));
    stopping.open();

    assertThat(stop.getResult().state()).isEqualTo(STOPPED);
    assertThat(start.getResult().state()).isEqualTo(SandboxState.ERROR);
    WorkflowUpdateException failed =
        catchThrowableOfType(WorkflowUpdateException.class, pause::getResult);
    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(ErrorType.INVALID_STATE.name());
    assertThat(failure.getOriginalMessage()).isEqualTo("cannot pause a sandbox that is error");
    verify(harness.host, never()).pauseContainer(any());
  }

  @Test
  void destroyWhileCreatingWaitsForCreationThenRemovesTheContainer() {
    Gate creating = hold(host -> host.createContainer(any()), ContainerStatus.CREATED);
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));
    creating.awaitEntered();

    // The container is created and started by one activity, which runs in starting.
    assertDestroyWinsOver(sandbox, STARTING, creating);
  }

  @Test
  void destroyWhileStartingWaitsForTheStartThenRemovesTheContainer() {
    Gate starting = hold(host -> host.startContainer(any()), ContainerStatus.RUNNING);
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));
    starting.awaitEntered();

    assertDestroyWinsOver(sandbox, STARTING, starting);
  }

  @Test
  void destroyWhileStartingAStoppedSandboxAnswersBothOperations() {
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.stop(Operation.user());
    Gate starting = hold(host -> host.startContainer(any()), ContainerStatus.RUNNING);
    WorkflowUpdateHandle<SandboxView> start = sendHeld(sandbox::start, "start", starting);

    assertDestroyWinsOver(sandbox, STARTING, starting);
    assertThat(start.getResult().state()).isEqualTo(RUNNING);
  }

  @Test
  void destroyWhilePausingWaitsForThePauseThenRemovesTheContainer() {
    SandboxWorkflow sandbox = harness.running(spec());
    Gate pausing = hold(host -> host.pauseContainer(any()), ContainerStatus.PAUSED);
    WorkflowUpdateHandle<SandboxView> pause = sendHeld(sandbox::pause, "pause", pausing);

    assertDestroyWinsOver(sandbox, PAUSING, pausing);
    assertThat(pause.getResult().state()).isEqualTo(PAUSED);
  }

  @Test
  void destroyWhileStoppingWaitsForTheStopThenRemovesTheContainer() {
    SandboxWorkflow sandbox = harness.running(spec());
    Gate stopping = hold(host -> host.stopContainer(any()), ContainerStatus.EXITED);
    WorkflowUpdateHandle<SandboxView> stop = sendHeld(sandbox::stop, "stop", stopping);

    assertDestroyWinsOver(sandbox, STOPPING, stopping);
    assertThat(stop.getResult().state()).isEqualTo(STOPPED);
  }

  @Test
  void destroyWhileResumingWaitsForTheResumeThenRemovesTheContainer() {
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.pause(Operation.user());
    Gate resuming = hold(host -> host.unpauseContainer(any()), ContainerStatus.RUNNING);
    WorkflowUpdateHandle<SandboxView> resume = sendHeld(sandbox::resume, "resume", resuming);

    assertDestroyWinsOver(sandbox, RESUMING, resuming);
    assertThat(resume.getResult().state()).isEqualTo(RUNNING);
  }

  @Test
  void aSecondDestroyWhileTheFirstRunsIsAnsweredByTheFirst() {
    SandboxWorkflow sandbox = harness.running(spec());
    Gate removing = holdRemove();
    WorkflowUpdateHandle<SandboxView> first = sendHeld(sandbox::destroy, removing);

    WorkflowUpdateHandle<SandboxView> second =
        WorkflowClient.startUpdate(sandbox::destroy, DESTROY, accepted("destroy"));
    assertThat(sandbox.describe().state()).isEqualTo(DESTROYING);
    removing.open();

    assertThat(first.getResult().state()).isEqualTo(DESTROYED);
    assertThat(second.getResult().state()).isEqualTo(DESTROYED);
    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
    verify(harness.host, times(1)).removeContainer(any());
  }

  @Test
  void operationsOtherThanDestroyAreRejectedOnceADestroyIsQueued() {
    SandboxWorkflow sandbox = harness.running(spec());
    Gate removing = holdRemove();
    WorkflowUpdateHandle<SandboxView> destroy = sendHeld(sandbox::destroy, removing);

    for (Runnable operation :
        List.<Runnable>of(
            () -> sandbox.pause(Operation.user()),
            () -> sandbox.stop(Operation.user()),
            () -> sandbox.start(Operation.user()),
            () -> sandbox.restart(Operation.user()))) {
      WorkflowUpdateException rejected =
          catchThrowableOfType(WorkflowUpdateException.class, operation::run);
      assertThat(((ApplicationFailure) rejected.getCause()).getOriginalMessage())
          .endsWith("a sandbox that is destroyed");
    }
    removing.open();
    assertThat(destroy.getResult().state()).isEqualTo(DESTROYED);
  }

  /**
   * Sends destroy while {@code gate} holds the operation that put the sandbox in {@code inFlight}:
   * the destroy is accepted at once, waits for that operation, then removes the container.
   */
  private void assertDestroyWinsOver(SandboxWorkflow sandbox, SandboxState inFlight, Gate gate) {
    assertThat(sandbox.describe().state()).isEqualTo(inFlight);

    WorkflowUpdateHandle<SandboxView> destroy =
        WorkflowClient.startUpdate(sandbox::destroy, DESTROY, accepted("destroy"));
    verify(harness.host, never()).removeContainer(any());
    assertThat(sandbox.describe().state()).isEqualTo(inFlight);
    gate.open();

    SandboxView destroyed = destroy.getResult();
    assertThat(destroyed.state()).isEqualTo(DESTROYED);
    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
    verify(harness.host).removeContainer(new ContainerRef(SANDBOX_ID));
    List<Transition> transitions = harness.transitions();
    assertThat(transitions.subList(transitions.size() - 2, transitions.size()))
        .extracting(Transition::to)
        .containsExactly(DESTROYING, DESTROYED);
    assertThat(transitions).extracting(Transition::to).contains(inFlight);
  }

  /** Holds the host call that {@code call} stubs at a new gate, then answers {@code status}. */
  private Gate hold(Function<HostActivities, ContainerInfo> call, ContainerStatus status) {
    Gate gate = harness.gate();
    when(call.apply(harness.host)).thenAnswer(gate.thenReturn(container(status)));
    return gate;
  }

  private Gate holdRemove() {
    Gate gate = harness.gate();
    doAnswer(gate.thenReturn(null)).when(harness.host).removeContainer(any());
    return gate;
  }

  /** Sends a user's operation and returns once its host call is held at {@code gate}. */
  private static WorkflowUpdateHandle<SandboxView> sendHeld(
      Functions.Func1<Operation, SandboxView> operation, String updateName, Gate gate) {
    WorkflowUpdateHandle<SandboxView> handle =
        WorkflowClient.startUpdate(operation, Operation.user(), accepted(updateName));
    gate.awaitEntered();
    return handle;
  }

  /** Sends {@link #DESTROY} and returns once its container removal is held at {@code gate}. */
  private static WorkflowUpdateHandle<SandboxView> sendHeld(
      Functions.Func1<DestroyRequest, SandboxView> destroy, Gate gate) {
    WorkflowUpdateHandle<SandboxView> handle =
        WorkflowClient.startUpdate(destroy, DESTROY, accepted("destroy"));
    gate.awaitEntered();
    return handle;
  }
}
