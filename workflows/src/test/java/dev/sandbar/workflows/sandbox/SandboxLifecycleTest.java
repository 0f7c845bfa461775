package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.CREATING;
import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.DESTROYING;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.PAUSING;
import static dev.sandbar.workflows.model.SandboxState.RESUMING;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STARTING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.model.SandboxState.STOPPING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.CONTAINER_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.HOST_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.TENANT_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.reach;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.SearchAttributes;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.Transition;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/** Creation, every operation, and the operations each state refuses. */
class SandboxLifecycleTest {

  private static final ContainerRef REF = new ContainerRef(SANDBOX_ID);

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void createPlacesThenCreatesThenStartsTheContainer() {
    SandboxSpec spec = spec();
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec));

    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(RUNNING);
    assertThat(settled.hostId()).isEqualTo(HOST_ID);
    assertThat(settled.containerId()).isEqualTo(CONTAINER_ID);
    assertThat(settled.error()).isNull();
    assertThat(sandbox.describe()).isEqualTo(settled);
    InOrder order = inOrder(harness.store, harness.host);
    order
        .verify(harness.store)
        .placeSandbox(new Placement(SANDBOX_ID, spec.resources(), List.of(), spec.image()));
    order
        .verify(harness.host)
        .createContainer(new CreateContainer(SANDBOX_ID, TENANT_ID, HOST_ID, spec));
    order.verify(harness.host).startContainer(REF);
  }

  @Test
  void createRecordsCreatingStartingRunningWithIncreasingSequence() {
    harness.running(spec());

    ArgumentCaptor<Transition> written = ArgumentCaptor.forClass(Transition.class);
    verify(harness.store, times(3)).recordTransition(written.capture());
    List<Transition> bySeq =
        written.getAllValues().stream().sorted((a, b) -> Long.compare(a.seq(), b.seq())).toList();
    assertThat(bySeq).extracting(Transition::seq).containsExactly(1L, 2L, 3L);
    assertThat(bySeq).extracting(Transition::to).containsExactly(CREATING, STARTING, RUNNING);
    assertThat(bySeq).extracting(Transition::from).containsExactly(CREATING, CREATING, STARTING);
    assertThat(bySeq)
        .allSatisfy(
            transition -> {
              assertThat(transition.sandboxId()).isEqualTo(SANDBOX_ID);
              assertThat(transition.tenantId()).isEqualTo(TENANT_ID);
              assertThat(transition.action()).isEqualTo("create");
              assertThat(transition.actor()).isEqualTo(Actor.USER);
              assertThat(transition.outcome()).isEqualTo("ok");
            });
    assertThat(bySeq.get(2).hostId()).isEqualTo(HOST_ID);
    assertThat(bySeq.get(2).containerId()).isEqualTo(CONTAINER_ID);
    assertThat(bySeq).extracting(Transition::eventId).doesNotHaveDuplicates();
  }

  @Test
  void upsertsStateHostAndTenantSearchAttributes() {
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.pause(Operation.user());

    io.temporal.common.SearchAttributes attributes =
        WorkflowStub.fromTyped(sandbox).describe().getTypedSearchAttributes();
    assertThat(attributes.get(SearchAttributes.STATE)).isEqualTo("paused");
    assertThat(attributes.get(SearchAttributes.HOST)).isEqualTo(HOST_ID);
    assertThat(attributes.get(SearchAttributes.TENANT)).isEqualTo(TENANT_ID);
  }

  @Test
  void pauseFreezesARunningSandbox() {
    SandboxWorkflow sandbox = harness.running(spec());

    SandboxView paused = sandbox.pause(new Operation(Actor.USER, "lunch"));

    assertThat(paused.state()).isEqualTo(PAUSED);
    verify(harness.host).pauseContainer(REF);
    assertOperationStates(PAUSING, PAUSED);
    assertThat(operationTransitions())
        .allSatisfy(
            transition -> {
              assertThat(transition.action()).isEqualTo("pause");
              assertThat(transition.reason()).isEqualTo("lunch");
            });
  }

  @Test
  void resumeThawsAPausedSandbox() {
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.pause(Operation.user());

    SandboxView resumed = sandbox.resume(Operation.user());

    assertThat(resumed.state()).isEqualTo(RUNNING);
    verify(harness.host).unpauseContainer(REF);
    assertOperationStates(PAUSING, PAUSED, RESUMING, RUNNING);
  }

  @Test
  void stopStopsARunningSandbox() {
    SandboxWorkflow sandbox = harness.running(spec());

    SandboxView stopped = sandbox.stop(Operation.user());

    assertThat(stopped.state()).isEqualTo(STOPPED);
    verify(harness.host).stopContainer(REF);
    assertOperationStates(STOPPING, STOPPED);
  }

  @Test
  void stopStopsAPausedSandbox() {
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.pause(Operation.user());

    assertThat(sandbox.stop(Operation.user()).state()).isEqualTo(STOPPED);
    verify(harness.host).stopContainer(REF);
  }

  @Test
  void startBringsAStoppedSandboxBackRunningInTheSameContainer() {
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.stop(Operation.user());

    SandboxView started = sandbox.start(Operation.user());

    assertThat(started.state()).isEqualTo(RUNNING);
    assertThat(started.containerId()).isEqualTo(CONTAINER_ID);
    // Once at creation, once on start: create is the idempotent look-up of the same container.
    verify(harness.host, times(2)).createContainer(any());
    verify(harness.host, times(2)).startContainer(REF);
    verify(harness.store, times(1)).placeSandbox(any());
    assertOperationStates(STOPPING, STOPPED, STARTING, RUNNING);
  }

  @Test
  void restartStopsThenStartsARunningSandbox() {
    SandboxWorkflow sandbox = harness.running(spec());

    SandboxView restarted = sandbox.restart(Operation.user());

    assertThat(restarted.state()).isEqualTo(RUNNING);
    InOrder order = inOrder(harness.host);
    order.verify(harness.host).startContainer(any());
    order.verify(harness.host).stopContainer(REF);
    order.verify(harness.host).startContainer(REF);
    assertOperationStates(STOPPING, STOPPED, STARTING, RUNNING);
    assertThat(operationTransitions()).extracting(Transition::action).containsOnly("restart");
  }

  @Test
  void restartOfAStoppedSandboxOnlyStartsIt() {
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.stop(Operation.user());

    assertThat(sandbox.restart(Operation.user()).state()).isEqualTo(RUNNING);

    verify(harness.host, times(1)).stopContainer(any());
    verify(harness.host, times(2)).startContainer(any());
  }

  @ParameterizedTest(name = "destroy from {0}")
  @EnumSource(
      value = SandboxState.class,
      names = {"RUNNING", "PAUSED", "STOPPED", "ERROR"})
  void destroyRemovesTheContainerAndEndsTheWorkflow(SandboxState from) {
    when(harness.host.startContainer(any()))
        .thenReturn(SandboxHarness.container(ContainerStatus.RUNNING))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure("no such container", "CONTAINER_GONE"));
    SandboxWorkflow sandbox = harness.running(spec());
    // A second start fails permanently (stubbed above): that is how it reaches error.
    reach(sandbox, from);
    assertThat(sandbox.describe().state()).isEqualTo(from);

    SandboxView destroyed = sandbox.destroy(new DestroyRequest(Actor.USER, "done", false));

    assertThat(destroyed.state()).isEqualTo(DESTROYED);
    assertThat(destroyed.containerId()).isNull();
    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
    verify(harness.host).removeContainer(REF);
    List<Transition> transitions = harness.transitions();
    assertThat(transitions.subList(transitions.size() - 2, transitions.size()))
        .extracting(Transition::from, Transition::to)
        .containsExactly(tuple(from, DESTROYING), tuple(DESTROYING, DESTROYED));
  }

  @ParameterizedTest(name = "{1} is rejected when {0}")
  @MethodSource("invalidOperations")
  void validatorRejectsAnOperationInvalidInTheCurrentState(SandboxState state, String operation) {
    when(harness.host.startContainer(any()))
        .thenReturn(SandboxHarness.container(ContainerStatus.RUNNING))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure("no such container", "CONTAINER_GONE"));
    SandboxWorkflow sandbox = harness.running(spec());
    reach(sandbox, state);
    int writtenBefore = harness.transitions().size();

    WorkflowUpdateException rejected =
        catchThrowableOfType(WorkflowUpdateException.class, () -> send(sandbox, operation));

    assertThat(rejected).as("%s on a %s sandbox", operation, state).isNotNull();
    assertThat(rejected.getCause()).isInstanceOf(ApplicationFailure.class);
    ApplicationFailure failure = (ApplicationFailure) rejected.getCause();
    assertThat(failure.getType()).isEqualTo(ErrorType.INVALID_STATE.name());
    assertThat(failure.getOriginalMessage())
        .isEqualTo("cannot " + operation + " a sandbox that is " + state.wire());
    assertThat(sandbox.describe().state()).isEqualTo(state);
    // A rejected update never reaches the history, so it writes nothing and takes no sequence
    // number: the next accepted operation continues right after the last transition.
    sandbox.destroy(new DestroyRequest(Actor.USER, null, false));
    List<Transition> after = harness.transitions().subList(writtenBefore, writtenBefore + 2);
    assertThat(after).extracting(Transition::to).containsExactly(DESTROYING, DESTROYED);
    assertThat(after.getFirst().seq()).isEqualTo(writtenBefore + 1L);
    assertThat(after.getFirst().from()).isEqualTo(state);
  }

  static Stream<Arguments> invalidOperations() {
    return Stream.of(
        Arguments.of(RUNNING, "resume"),
        Arguments.of(RUNNING, "start"),
        Arguments.of(PAUSED, "pause"),
        Arguments.of(PAUSED, "start"),
        Arguments.of(STOPPED, "pause"),
        Arguments.of(STOPPED, "resume"),
        Arguments.of(STOPPED, "stop"),
        Arguments.of(ERROR, "pause"),
        Arguments.of(ERROR, "resume"),
        Arguments.of(ERROR, "stop"));
  }

  @Test
  void startRecoversASandboxFromErrorAndClearsTheError() {
    when(harness.host.startContainer(any()))
        .thenReturn(SandboxHarness.container(ContainerStatus.RUNNING))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("no such container", "CONTAINER_GONE"))
        .thenReturn(SandboxHarness.container(ContainerStatus.RUNNING));
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.stop(Operation.user());
    SandboxView failed = sandbox.start(Operation.user());
    assertThat(failed.state()).isEqualTo(ERROR);
    assertThat(failed.error()).isEqualTo("start failed: no such container");

    SandboxView recovered = sandbox.start(Operation.user());

    assertThat(recovered.state()).isEqualTo(RUNNING);
    assertThat(recovered.error()).isNull();
  }

  @Test
  void destroyWithoutPlacementNeverCallsAHost() {
    when(harness.store.placeSandbox(any()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("no room", "NO_HOST_CAPACITY"));
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));
    SandboxView settled = sandbox.awaitSettled();
    assertThat(settled.state()).isEqualTo(ERROR);
    assertThat(settled.error()).isEqualTo("create failed: no room");
    assertThat(settled.hostId()).isNull();

    assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, null, false)).state())
        .isEqualTo(DESTROYED);

    verify(harness.host, never()).removeContainer(any());
  }

  private static void send(SandboxWorkflow sandbox, String operation) {
    switch (operation) {
      case "start" -> sandbox.start(Operation.user());
      case "stop" -> sandbox.stop(Operation.user());
      case "pause" -> sandbox.pause(Operation.user());
      case "resume" -> sandbox.resume(Operation.user());
      case "restart" -> sandbox.restart(Operation.user());
      default -> throw new IllegalArgumentException(operation);
    }
  }

  /** Asserts the states the transitions after the three of creation led to. */
  private void assertOperationStates(SandboxState... states) {
    assertThat(operationTransitions()).extracting(Transition::to).containsExactly(states);
  }

  /** The transitions after the three of creation. */
  private List<Transition> operationTransitions() {
    List<Transition> all = harness.transitions();
    assertThat(all).hasSizeGreaterThanOrEqualTo(3);
    assertThat(all.subList(0, 3))
        .extracting(Transition::to)
        .containsExactly(CREATING, STARTING, RUNNING);
    return all.subList(3, all.size());
  }
}
