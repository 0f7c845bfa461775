package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.DESTROYING;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.sandbox.SandboxHarness.CONTAINER_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.HOST_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.TENANT_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.model.SandboxWorkflowInput.Carried;
import dev.sandbar.workflows.model.Transition;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Continue-as-new: a continuation starts from {@link Carried} instead of creating the sandbox, and
 * keeps its state, host and pending deadlines.
 */
class SandboxContinueAsNewTest {

  /** The test service suggests continue-as-new from 4096 history events on. */
  private static final long SUGGEST_AT_EVENTS = 4_096;

  private static final int MAX_TOUCHES = 10_000;

  private static final long CARRIED_SEQ = 40;

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aContinuationKeepsItsStateAndHostWithoutCreatingAgain() {
    SandboxWorkflow sandbox = harness.start(continuation(STOPPED, spec(), 0, 0));

    assertThat(sandbox.awaitSettled().state()).isEqualTo(STOPPED);
    SandboxView described = sandbox.describe();
    assertThat(described.hostId()).isEqualTo(HOST_ID);
    assertThat(described.containerId()).isEqualTo(CONTAINER_ID);
    SandboxView started = sandbox.start(Operation.user());

    assertThat(started.state()).isEqualTo(RUNNING);
    verify(harness.store, never()).placeSandbox(any());
    // Served by the worker of the carried host's queue, the only one registered.
    verify(harness.host).startContainer(new ContainerRef(SANDBOX_ID));
    assertThat(harness.transitions())
        .extracting(Transition::seq)
        .containsExactly(CARRIED_SEQ + 1, CARRIED_SEQ + 2);
    assertThat(harness.transitions().getFirst().from()).isEqualTo(STOPPED);
  }

  @Test
  void aContinuationKeepsThePendingIdleDeadline() {
    // Last activity 30 s before the continuation started: 30 s of the 60 s idle timeout remain.
    SandboxWorkflowInput input = continuation(RUNNING, spec(60, IdleAction.PAUSE, 0), 30_000, 0);
    SandboxWorkflow sandbox = harness.start(input);

    long idleSince = sandbox.describe().lastActivityAtMs();
    assertThat(idleSince).isEqualTo(input.carried().lastActivityAtMs());
    harness.sleepUntil(idleSince + 59_000);
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
    harness.sleepUntil(idleSince + 61_000);

    Transition paused = harness.awaitTransitionTo(PAUSED);
    assertThat(paused.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(paused.seq()).isEqualTo(CARRIED_SEQ + 2);
    verify(harness.host).pauseContainer(new ContainerRef(SANDBOX_ID));
    verify(harness.store, never()).placeSandbox(any());
    verify(harness.host, never()).createContainer(any());
  }

  @Test
  void aContinuationKeepsTheLifetimeDeadline() {
    // Created 250 s before the continuation started: 50 s of the 300 s lifetime remain.
    SandboxWorkflowInput input = continuation(RUNNING, spec(0, IdleAction.PAUSE, 300), 0, 250_000);
    SandboxWorkflow sandbox = harness.start(input);
    long createdAt = input.createdAtMs();
    assertThat(sandbox.describe().createdAtMs()).isEqualTo(createdAt);

    SandboxView last = SandboxHarness.result(sandbox);

    assertThat(last.state()).isEqualTo(DESTROYED);
    Transition destroyed = harness.awaitTransitionTo(DESTROYED);
    assertThat(destroyed.actor()).isEqualTo(Actor.SYSTEM);
    // Counted from the carried creation time: a restarted lifetime would end 250 s later.
    assertThat(harness.awaitTransitionTo(DESTROYING).atMs() - createdAt)
        .isBetween(300_000L, 305_000L);
    verify(harness.host).removeContainer(new ContainerRef(SANDBOX_ID));
  }

  @Test
  void continuesAsNewWhenTheHistoryGrowsLongAndCarriesTheSandboxOver() throws Exception {
    SandboxWorkflow firstRun = harness.running(spec(60, IdleAction.PAUSE, 0));
    String firstRunId = WorkflowStub.fromTyped(firstRun).getExecution().getRunId();
    String workflowId = SandboxWorkflow.workflowId(SANDBOX_ID);
    // Addresses whichever run is current, as the API does.
    SandboxWorkflow latest = harness.client.newWorkflowStub(SandboxWorkflow.class, workflowId);

    // Touch until the history is long enough for the service to suggest continue-as-new, then
    // fall quiet: a continue-as-new is refused while new signals keep arriving.
    int touches = 0;
    while (historyLength(workflowId) < SUGGEST_AT_EVENTS) {
      assertThat(touches).as("touches before continue-as-new").isLessThan(MAX_TOUCHES);
      for (int i = 0; i < 50; i++) {
        latest.touch();
      }
      touches += 50;
    }
    long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
    while (currentRunId(workflowId).equals(firstRunId)) {
      assertThat(System.nanoTime()).as("continued as new within 20 s").isLessThan(deadline);
      Thread.sleep(20);
    }

    List<HistoryEvent> firstHistory =
        harness.client.fetchHistory(workflowId, firstRunId).getEvents();
    assertThat(firstHistory.getLast().hasWorkflowExecutionContinuedAsNewEventAttributes()).isTrue();
    SandboxWorkflowInput carriedInput =
        harness
            .client
            .getOptions()
            .getDataConverter()
            .fromPayloads(
                0,
                Optional.of(
                    firstHistory
                        .getLast()
                        .getWorkflowExecutionContinuedAsNewEventAttributes()
                        .getInput()),
                SandboxWorkflowInput.class,
                SandboxWorkflowInput.class);
    assertThat(carriedInput.carried()).isNotNull();
    assertThat(carriedInput.carried().state()).isEqualTo(RUNNING);
    assertThat(carriedInput.carried().hostId()).isEqualTo(HOST_ID);
    assertThat(carriedInput.carried().seq()).isEqualTo(3);

    SandboxView continued = latest.describe();
    assertThat(continued.state()).isEqualTo(RUNNING);
    assertThat(continued.hostId()).isEqualTo(HOST_ID);
    assertThat(continued.containerId()).isEqualTo(CONTAINER_ID);

    // The continuation still runs the idle timer, and its transitions continue the sequence.
    harness.env.sleep(Duration.ofSeconds(61));
    Transition paused = harness.awaitTransitionTo(PAUSED);
    assertThat(paused.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(paused.seq()).isEqualTo(5);
    assertThat(latest.resume(Operation.user()).state()).isEqualTo(RUNNING);
    verify(harness.store, times(1)).placeSandbox(any());
    verify(harness.host, times(1)).createContainer(any());
  }

  private SandboxWorkflowInput continuation(
      SandboxState state, SandboxSpec spec, long idleForMs, long ageMs) {
    long now = harness.env.currentTimeMillis();
    return new SandboxWorkflowInput(
        SANDBOX_ID,
        TENANT_ID,
        spec,
        now - ageMs,
        new Carried(
            state, HOST_ID, CONTAINER_ID, null, now - idleForMs, null, List.of(), CARRIED_SEQ));
  }

  private long historyLength(String workflowId) {
    return harness.client.newUntypedWorkflowStub(workflowId).describe().getHistoryLength();
  }

  private String currentRunId(String workflowId) {
    return harness.client.newUntypedWorkflowStub(workflowId).describe().getExecution().getRunId();
  }
}
