package dev.sandbar.workflows.exec;

import static dev.sandbar.workflows.exec.ExecHarness.REF;
import static dev.sandbar.workflows.exec.ExecHarness.exited;
import static dev.sandbar.workflows.exec.ExecHarness.request;
import static dev.sandbar.workflows.exec.ExecHarness.result;
import static dev.sandbar.workflows.testing.TemporalHarness.overriding;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.TaskStatus;
import dev.sandbar.workflows.testing.TemporalHarness.Gate;
import io.temporal.activity.ActivityOptions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * A wait that breaks (a Docker stream dropped, a worker died) is retried and re-attaches to the
 * same process through the task's files: the command itself never runs twice. The heartbeat timeout
 * is shortened to one second (per activity type, as a worker may set it) because the test service
 * does not skip time while the dead attempt is outstanding.
 */
class ExecReattachTest {

  private final ExecHarness harness =
      new ExecHarness(
          overriding(
              Map.of(
                  "AwaitCommand",
                  ActivityOptions.newBuilder()
                      .setHeartbeatTimeout(Duration.ofSeconds(1))
                      .build())));

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aWaitThatThrowsIsRetriedWithoutStartingTheCommandAgain() {
    when(harness.commands.awaitCommand(any()))
        .thenThrow(new IllegalStateException("docker attach stream closed"))
        .thenReturn(exited(4));

    ExecResult result = result(harness.start(request()));

    assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(result.exitCode()).isEqualTo(4);
    assertThat(result.error()).isNull();
    verify(harness.commands, times(1)).startCommand(any());
    ArgumentCaptor<AwaitCommand> waits = ArgumentCaptor.forClass(AwaitCommand.class);
    verify(harness.commands, times(2)).awaitCommand(waits.capture());
    // The retry is the same request: it finds the same process through the same task files.
    assertThat(waits.getAllValues()).extracting(AwaitCommand::ref).containsOnly(REF);
    verify(harness.commands, never()).killCommand(any());
  }

  @Test
  void aWaitWhoseWorkerStopsHeartbeatingIsRetriedWithoutStartingTheCommandAgain() {
    // The first attempt hangs without a heartbeat, as on a worker that died mid-wait.
    Gate deadWorker = harness.gate();
    when(harness.commands.awaitCommand(any()))
        .thenAnswer(deadWorker.thenReturn(exited(1)))
        .thenReturn(exited(0));
    ExecWorkflow exec = harness.start(request());
    deadWorker.awaitEntered();

    ExecResult result = result(exec);

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(result.exitCode()).isZero();
    verify(harness.commands, times(1)).startCommand(any());
    verify(harness.commands, times(2)).awaitCommand(any());
    verify(harness.commands, never()).killCommand(any());
  }
}
