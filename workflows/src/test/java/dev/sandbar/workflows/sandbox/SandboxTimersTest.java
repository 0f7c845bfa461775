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
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.TemporalHarness.Gate;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.client.WorkflowUpdateHandle;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The idle timer and the maximum lifetime, on the test service's skipped clock. */
class SandboxTimersTest {

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void anIdleSandboxIsPausedBySystemAfterItsIdleTimeout() {
    SandboxWorkflow sandbox = harness.running(spec(60, IdleAction.PAUSE, 0));
    long idleSince = sandbox.describe().lastActivityAtMs();

    harness.sleepUntil(idleSince + 59_000);
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
    harness.sleepUntil(idleSince + 61_000);

    Transition paused = harness.awaitTransitionTo(PAUSED);
    assertThat(paused.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(paused.action()).isEqualTo("pause");
    assertThat(paused.reason()).isEqualTo("idle for 60s");
    // Never early; the clock runs in real time too, so a loaded machine may add a little.
    assertThat(harness.awaitTransitionTo(PAUSING).atMs() - idleSince).isBetween(60_000L, 65_000L);
    assertThat(harness.recordedStates()).endsWith(RUNNING, PAUSING, PAUSED);
    assertThat(sandbox.describe().state()).isEqualTo(PAUSED);
    verify(harness.host).pauseContainer(new ContainerRef(SANDBOX_ID));
  }

  @Test
  void touchPushesTheIdleTimerOut() {
    SandboxWorkflow sandbox = harness.running(spec(60, IdleAction.PAUSE, 0));

    harness.env.sleep(Duration.ofSeconds(50));
    sandbox.touch();
    harness.env.sleep(Duration.ofSeconds(20));

    assertThat(sandbox.describe().state()).as("at 70 s, 20 s after the touch").isEqualTo(RUNNING);
    verify(harness.host, never()).pauseContainer(any());
    harness.env.sleep(Duration.ofSeconds(41));
    Transition paused = harness.awaitTransitionTo(PAUSED);
    assertThat(paused.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(sandbox.describe().state()).as("by 111 s, 61 s after the touch").isEqualTo(PAUSED);
  }

  @Test
  void anIdleSandboxIsStoppedWhenItsIdleActionIsStop() {
    SandboxWorkflow sandbox = harness.running(spec(60, IdleAction.STOP, 0));

    harness.env.sleep(Duration.ofSeconds(61));

    Transition stopped = harness.awaitTransitionTo(STOPPED);
    assertThat(stopped.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(stopped.action()).isEqualTo("idle-stop");
    assertThat(harness.recordedStates()).endsWith(RUNNING, STOPPING, STOPPED);
    assertThat(sandbox.describe().state()).isEqualTo(STOPPED);
    verify(harness.host).stopContainer(new ContainerRef(SANDBOX_ID));
    verify(harness.host, never()).pauseContainer(any());
  }

  @Test
  void operationsPushTheIdleTimerOut() {
    SandboxWorkflow sandbox = harness.running(spec(60, IdleAction.PAUSE, 0));

    harness.env.sleep(Duration.ofSeconds(50));
    assertThat(sandbox.restart(Operation.user()).state()).isEqualTo(RUNNING);
    harness.env.sleep(Duration.ofSeconds(50));

    assertThat(sandbox.describe().state())
        .as("at 100 s, 50 s after the restart")
        .isEqualTo(RUNNING);
    verify(harness.host, never()).pauseContainer(any());
    harness.env.sleep(Duration.ofSeconds(11));
    assertThat(harness.awaitTransitionTo(PAUSED).actor()).isEqualTo(Actor.SYSTEM);
  }

  @Test
  void aPausedSandboxStaysPausedAndResumeRearmsTheIdleTimer() {
    SandboxWorkflow sandbox = harness.running(spec(60, IdleAction.PAUSE, 0));
    harness.env.sleep(Duration.ofSeconds(61));
    harness.awaitTransitionTo(PAUSED);

    harness.env.sleep(Duration.ofMinutes(10));
    assertThat(sandbox.resume(Operation.user()).state()).isEqualTo(RUNNING);
    // Resume's transitions follow the idle pause directly: ten paused minutes wrote nothing.
    assertThat(harness.recordedStates())
        .containsExactly(CREATING, STARTING, RUNNING, PAUSING, PAUSED, RESUMING, RUNNING);
    harness.env.sleep(Duration.ofSeconds(61));

    harness.awaitState(sandbox, PAUSED);
    verify(harness.host, times(2)).pauseContainer(any());
  }

  @Test
  void operationsSentDuringAnIdlePauseAreJudgedAgainstPaused() {
    SandboxWorkflow sandbox = harness.running(spec(60, IdleAction.PAUSE, 0));
    Gate pausing = harness.gate();
    when(harness.host.pauseContainer(any()))
        .thenAnswer(pausing.thenReturn(SandboxHarness.container(ContainerStatus.PAUSED)));
    harness.env.sleep(Duration.ofSeconds(61));
    pausing.awaitEntered();

    WorkflowUpdateException rejected =
        catchThrowableOfType(WorkflowUpdateException.class, () -> sandbox.pause(Operation.user()));
    WorkflowUpdateHandle<SandboxView> resume =
        WorkflowClient.startUpdate(
            sandbox::resume, Operation.user(), SandboxHarness.accepted("resume"));
    pausing.open();

    assertThat(((ApplicationFailure) rejected.getCause()).getOriginalMessage())
        .isEqualTo("cannot pause a sandbox that is paused");
    assertThat(resume.getResult().state()).isEqualTo(RUNNING);
    assertThat(harness.recordedStates()).endsWith(PAUSING, PAUSED, RESUMING, RUNNING);
  }

  @Test
  void theLifetimeEndsTheSandboxAndTheWorkflow() {
    SandboxWorkflow sandbox = harness.running(spec(0, IdleAction.PAUSE, 300));
    long createdAt = sandbox.describe().createdAtMs();

    harness.sleepUntil(createdAt + 299_000);
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
    harness.sleepUntil(createdAt + 301_000);
    SandboxView last = SandboxHarness.result(sandbox);

    assertThat(last.state()).isEqualTo(DESTROYED);
    assertThat(last.containerId()).isNull();
    verify(harness.host).removeContainer(new ContainerRef(SANDBOX_ID));
    Transition destroyed = harness.awaitTransitionTo(DESTROYED);
    assertThat(destroyed.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(destroyed.reason()).isEqualTo("maximum lifetime of 300s reached");
    assertThat(harness.awaitTransitionTo(DESTROYING).atMs() - createdAt)
        .isBetween(300_000L, 305_000L);
    assertThat(harness.recordedStates()).endsWith(RUNNING, DESTROYING, DESTROYED);
  }

  @Test
  void theLifetimeAlsoEndsAnIdlePausedSandbox() {
    SandboxWorkflow sandbox = harness.running(spec(60, IdleAction.PAUSE, 300));

    // Waiting on the result lets the test service skip time on its own.
    SandboxView last = SandboxHarness.result(sandbox);

    assertThat(last.state()).isEqualTo(DESTROYED);
    assertThat(harness.recordedStates()).endsWith(RUNNING, PAUSING, PAUSED, DESTROYING, DESTROYED);
    assertThat(harness.transitions())
        .filteredOn(transition -> transition.seq() > 3)
        .extracting(Transition::actor)
        .containsOnly(Actor.SYSTEM);
  }
}
