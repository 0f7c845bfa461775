package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.container;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.Transition;
import io.temporal.failure.ApplicationFailure;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Activities that fail for good, fail until retries run out, or never answer. */
class SandboxFailureTest {

  private static final DestroyRequest DESTROY = new DestroyRequest(Actor.USER, null, false);

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aPermanentCreateFailureLeavesTheSandboxInErrorWithItsReason() {
    when(harness.host.createContainer(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "image nope:latest not found", "IMAGE_NOT_FOUND"));
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));

    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(ERROR);
    assertThat(settled.error()).isEqualTo("create failed: image nope:latest not found");
    assertThat(sandbox.describe().error()).isEqualTo(settled.error());
    // Not retried: the failure type is one the retry policy gives up on at once.
    verify(harness.host, times(1)).createContainer(any());
    verify(harness.host, never()).startContainer(any());
    Transition failed = harness.awaitTransitionTo(ERROR);
    assertThat(failed.outcome()).isEqualTo("failed");
    assertThat(failed.error()).isEqualTo(settled.error());
    assertThat(failed.action()).isEqualTo("create");
  }

  @Test
  void destroyWorksFromAFailedCreation() {
    when(harness.host.createContainer(any()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("not found", "IMAGE_NOT_FOUND"));
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));
    assertThat(sandbox.awaitSettled().state()).isEqualTo(ERROR);

    SandboxView destroyed = sandbox.destroy(DESTROY);

    assertThat(destroyed.state()).isEqualTo(DESTROYED);
    assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
    // The host was chosen, so a half-made container or volume may exist there: remove it.
    verify(harness.host).removeContainer(new ContainerRef(SANDBOX_ID));
  }

  @Test
  void startRetriesAFailedCreation() {
    when(harness.host.createContainer(any()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("not found", "IMAGE_NOT_FOUND"))
        .thenReturn(container(ContainerStatus.CREATED));
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));
    assertThat(sandbox.awaitSettled().state()).isEqualTo(ERROR);

    SandboxView started = sandbox.start(Operation.user());

    assertThat(started.state()).isEqualTo(RUNNING);
    assertThat(started.error()).isNull();
    assertThat(started.containerId()).isEqualTo(SandboxHarness.CONTAINER_ID);
    verify(harness.store, times(1)).placeSandbox(any());
  }

  @Test
  void aTransientFailureIsRetriedUntilTheAttemptsRunOut() {
    when(harness.host.startContainer(any()))
        .thenThrow(new IllegalStateException("docker daemon unavailable"));
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));

    // The backoff between attempts is timers: let the test service skip them.
    harness.env.sleep(Duration.ofMinutes(2));
    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(ERROR);
    assertThat(settled.error()).isEqualTo("create failed: docker daemon unavailable");
    verify(harness.host, times(5)).startContainer(any());
  }

  @Test
  void aTransientFailureThatClearsWithinTheRetriesIsInvisible() {
    when(harness.host.startContainer(any()))
        .thenThrow(new IllegalStateException("docker daemon unavailable"))
        .thenThrow(new IllegalStateException("docker daemon unavailable"))
        .thenReturn(container(ContainerStatus.RUNNING));
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));

    harness.env.sleep(Duration.ofMinutes(1));
    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(RUNNING);
    assertThat(settled.error()).isNull();
    verify(harness.host, times(3)).startContainer(any());
  }

  @Test
  void aFailedOperationLeavesErrorAndStartRecovers() {
    SandboxWorkflow sandbox = harness.running(spec());
    when(harness.host.pauseContainer(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure("container is gone", "CONTAINER_GONE"));

    SandboxView failed = sandbox.pause(Operation.user());

    assertThat(failed.state()).isEqualTo(ERROR);
    assertThat(failed.error()).isEqualTo("pause failed: container is gone");
    assertThat(sandbox.describe().error()).isEqualTo("pause failed: container is gone");
    SandboxView recovered = sandbox.start(Operation.user());
    assertThat(recovered.state()).isEqualTo(RUNNING);
    assertThat(recovered.error()).isNull();
  }
}
