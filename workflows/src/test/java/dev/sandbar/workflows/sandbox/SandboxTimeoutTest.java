package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.container;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static dev.sandbar.workflows.testing.TemporalHarness.overriding;
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
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.testing.TemporalHarness.Gate;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Container calls that never answer. The test service does not skip time while an activity is
 * outstanding, so the catalog's 30 s bounds would cost real minutes here: these tests shorten just
 * the timeouts (the retry policy stays the catalog's) through per-activity-type options.
 */
class SandboxTimeoutTest {

  private final SandboxHarness harness =
      new SandboxHarness(
          overriding(
              Map.of(
                  "StartContainer",
                  ActivityOptions.newBuilder()
                      .setStartToCloseTimeout(Duration.ofSeconds(1))
                      .build(),
                  "CreateContainer",
                  ActivityOptions.newBuilder()
                      .setScheduleToStartTimeout(Duration.ofSeconds(1))
                      .build())));

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aContainerCallThatNeverAnswersTimesOutIntoErrorAfterEveryAttempt() {
    Gate hung = harness.gate();
    when(harness.host.startContainer(any()))
        .thenAnswer(hung.thenReturn(container(ContainerStatus.RUNNING)));
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));

    // Lets the backoff timers between the attempts be skipped.
    harness.env.sleep(Duration.ofMinutes(1));
    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(ERROR);
    assertThat(settled.error()).isEqualTo("create failed: timed out (start_to_close)");
    assertThat(sandbox.describe().error()).isEqualTo(settled.error());
    verify(harness.host, times(5)).startContainer(any());

    hung.open();
    assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, null, false)).state())
        .isEqualTo(DESTROYED);
    verify(harness.host).removeContainer(new ContainerRef(SANDBOX_ID));
  }

  @Test
  void aHostWhoseWorkerIsGoneFailsCreationAfterThePickupTimeout() {
    when(harness.store.placeSandbox(any())).thenReturn("host-without-worker");
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));

    harness.env.sleep(Duration.ofSeconds(2));
    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(ERROR);
    assertThat(settled.hostId()).isEqualTo("host-without-worker");
    // A pickup timeout is not retried: another attempt would wait on the same dead queue.
    assertThat(settled.error()).isEqualTo("create failed: timed out (schedule_to_start)");
    verify(harness.host, never()).createContainer(any());
  }
}
