package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.CREATING;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STARTING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.TemporalHarness;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.failure.ApplicationFailure;
import io.temporal.testing.WorkflowReplayer;
import java.io.InputStream;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A create with nothing to restore places the sandbox by a local activity and creates and starts
 * its container in one host activity ({@value ContainerSteps#CREATE_AND_START_CHANGE}); histories
 * recorded before schedule placement, create and start as activities of their own and still replay.
 */
class SandboxCreateAndStartTest {

  /** A whole life recorded before the change: create, pause, resume, stop, start, destroy. */
  static final String SEPARATE_START_RESOURCE = "histories/sandbox-create-separate-start.json";

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aCreateWithNothingToRestoreCreatesAndStartsInOneHostActivity() {
    SandboxWorkflow sandbox = harness.running(spec());

    verify(harness.host, times(1)).createAndStartContainer(any());
    List<String> scheduled = scheduledActivities(history(sandbox));
    assertThat(scheduled).contains("CreateAndStartContainer");
    assertThat(scheduled).doesNotContain("CreateContainer", "StartContainer", "PlaceSandbox");
    verify(harness.store, times(1)).placeSandbox(any());
    assertThat(harness.transitions())
        .extracting(Transition::to)
        .containsExactly(CREATING, STARTING, RUNNING);
  }

  @Test
  void aPlacementThatFindsNoHostFailsTheCreateWithoutTouchingAHost() {
    when(harness.store.placeSandbox(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "no online host has image sandbar-base:latest", ErrorType.NO_HOST_CAPACITY.name()));

    SandboxView settled = harness.start(harness.newSandbox(spec())).awaitSettled();

    assertThat(settled.state()).isEqualTo(ERROR);
    assertThat(settled.error()).contains("no online host");
    verify(harness.store, times(1)).placeSandbox(any());
    verify(harness.host, never()).createAndStartContainer(any());
  }

  @Test
  void aPlacementTheLocalAttemptsCannotMakeGoesOnAsAnActivity() {
    when(harness.store.placeSandbox(any()))
        .thenThrow(new IllegalStateException("database away"))
        .thenThrow(new IllegalStateException("database away"))
        .thenThrow(new IllegalStateException("database away"))
        .thenReturn(TemporalHarness.HOST_ID);

    SandboxWorkflow sandbox = harness.running(spec());

    assertThat(scheduledActivities(history(sandbox))).contains("PlaceSandbox");
    verify(harness.host, times(1)).createAndStartContainer(any());
  }

  @Test
  void aCreateRecordedWithSeparateActivitiesReplays() throws Exception {
    WorkflowExecutionHistory history;
    try (InputStream in =
        SandboxCreateAndStartTest.class
            .getClassLoader()
            .getResourceAsStream(SEPARATE_START_RESOURCE)) {
      assertThat(in).as(SEPARATE_START_RESOURCE).isNotNull();
      history = WorkflowExecutionHistory.fromJson(new String(in.readAllBytes(), UTF_8));
    }
    // Guards against a file regenerated with the new shape, which would prove nothing here.
    assertThat(scheduledActivities(history))
        .containsSubsequence("PlaceSandbox", "CreateContainer", "StartContainer")
        .doesNotContain("CreateAndStartContainer");

    WorkflowReplayer.replayWorkflowExecution(history, SandboxWorkflowImpl.class);
  }

  @Test
  void aFreshCreateReplays() throws Exception {
    SandboxWorkflow sandbox = harness.running(spec());

    WorkflowReplayer.replayWorkflowExecution(history(sandbox), SandboxWorkflowImpl.class);
  }

  private WorkflowExecutionHistory history(SandboxWorkflow sandbox) {
    return harness.client.fetchHistory(
        WorkflowStub.fromTyped(sandbox).getExecution().getWorkflowId());
  }

  private static List<String> scheduledActivities(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }
}
