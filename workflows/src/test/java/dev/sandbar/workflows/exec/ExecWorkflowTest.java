package dev.sandbar.workflows.exec;

import static dev.sandbar.workflows.exec.ExecHarness.REF;
import static dev.sandbar.workflows.exec.ExecHarness.SANDBOX_ID;
import static dev.sandbar.workflows.exec.ExecHarness.SESSION_ID;
import static dev.sandbar.workflows.exec.ExecHarness.TASK_ID;
import static dev.sandbar.workflows.exec.ExecHarness.TENANT_ID;
import static dev.sandbar.workflows.exec.ExecHarness.exited;
import static dev.sandbar.workflows.exec.ExecHarness.outcome;
import static dev.sandbar.workflows.exec.ExecHarness.request;
import static dev.sandbar.workflows.exec.ExecHarness.result;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.exec.ExecHarness.FakeSandbox;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.StartCommand;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.model.TaskStatus;
import dev.sandbar.workflows.testing.TemporalHarness.Gate;
import io.temporal.activity.Activity;
import io.temporal.api.history.v1.ActivityTaskScheduledEventAttributes;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** One command from start to end: exit, limit, kill, stall, background and start failures. */
class ExecWorkflowTest {

  private final ExecHarness harness = new ExecHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aCommandThatExitsZeroCompletesAndIsRecordedRunningThenCompleted() {
    ExecRequest request = request();

    ExecResult result = result(harness.start(request));

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(result.exitCode()).isZero();
    assertThat(result.taskId()).isEqualTo(TASK_ID);
    assertThat(result.stdout()).isEqualTo("out\n");
    assertThat(result.stderr()).isEqualTo("err\n");
    assertThat(result.outputTail()).isEqualTo("out\nerr\n");
    assertThat(result.outputBytes()).isEqualTo(8);
    assertThat(result.error()).isNull();
    assertThat(result.stalled()).isFalse();
    verify(harness.commands)
        .startCommand(new StartCommand(REF, "make test", "/work", request.env()));
    verify(harness.commands)
        .awaitCommand(new AwaitCommand(REF, 0, false, ExecWorkflowImpl.MAX_STREAM_BYTES));
    List<TaskRecord> tasks = harness.tasks();
    assertThat(tasks)
        .extracting(TaskRecord::status)
        .containsExactly(TaskStatus.RUNNING, TaskStatus.COMPLETED);
    assertThat(tasks.getFirst().result()).isNull();
    assertThat(tasks.getFirst().request()).isEqualTo(request);
    // The end's record leaves out what the read model does not store, so its payload stays small.
    assertThat(tasks.getLast().result())
        .usingRecursiveComparison()
        .ignoringFields("stdout", "stderr")
        .isEqualTo(result);
    assertThat(tasks.getLast().result().stdout()).isEmpty();
    assertThat(tasks.getLast().result().stderr()).isEmpty();
    assertThat(tasks.getLast().request())
        .usingRecursiveComparison()
        .ignoringFields("env")
        .isEqualTo(request);
    assertThat(tasks.getLast().request().env()).isEmpty();
    assertThat(tasks)
        .allSatisfy(
            task -> {
              assertThat(task.sandboxId()).isEqualTo(SANDBOX_ID);
              assertThat(task.tenantId()).isEqualTo(TENANT_ID);
              assertThat(task.outputFile()).isEqualTo("/.sandbar/tasks/" + TASK_ID + "/output.log");
              assertThat(task.startedAtMs()).isEqualTo(result.startedAtMs());
            });
    verify(harness.commands, never()).killCommand(any());
  }

  @Test
  void theRunIsScheduledOnTheHostsCommandQueue() {
    List<String> waitQueues = new CopyOnWriteArrayList<>();
    when(harness.commands.awaitCommand(any()))
        .thenAnswer(
            invocation -> {
              waitQueues.add(Activity.getExecutionContext().getInfo().getActivityTaskQueue());
              return exited(0);
            });

    ExecResult result = result(harness.start(request()));

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(waitQueues).containsExactly(TaskQueues.commands(ExecHarness.HOST_ID));
    assertThat(
            harness
                .client
                .fetchHistory(ExecWorkflow.workflowId(SANDBOX_ID, TASK_ID))
                .getEvents()
                .stream()
                .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
                .map(HistoryEvent::getActivityTaskScheduledEventAttributes)
                .filter(scheduled -> !scheduled.getTaskQueue().getName().equals(TaskQueues.CONTROL))
                .map(ExecWorkflowTest::typeOnQueue))
        .containsExactly("RunCommand@sandbar-host-host-a-commands");
  }

  @Test
  void aWaitingCommandLeavesTheHostQueuesOnlySlotToContainerCalls() {
    try (ExecHarness oneSlot = ExecHarness.withHostSlots(1)) {
      Gate running = oneSlot.holdWait();
      ExecWorkflow exec = oneSlot.start(request());
      running.awaitEntered();

      // The kill is a container call on the host queue: it needs the slot a wait there would hold.
      WorkflowStub.fromTyped(exec).cancel();
      ExecResult result = killedResult(exec);

      assertThat(result.status()).isEqualTo(TaskStatus.KILLED);
      assertThat(result.error()).isEqualTo("killed on request");
      verify(oneSlot.commands, times(1)).killCommand(REF);
    }
  }

  private static String typeOnQueue(ActivityTaskScheduledEventAttributes scheduled) {
    return scheduled.getActivityType().getName() + "@" + scheduled.getTaskQueue().getName();
  }

  @Test
  void aCommandThatExitsNonZeroFailsWithItsExitCode() {
    when(harness.commands.awaitCommand(any())).thenReturn(exited(3));

    ExecResult result = result(harness.start(request()));

    assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(result.exitCode()).isEqualTo(3);
    assertThat(result.error()).isNull();
    assertThat(harness.tasks())
        .extracting(TaskRecord::status)
        .containsExactly(TaskStatus.RUNNING, TaskStatus.FAILED);
  }

  @Test
  void aCommandPastItsLimitIsKilledAndTimesOut() {
    Gate running = harness.holdWait();
    ExecWorkflow exec = harness.start(request(5, false, 0));
    running.awaitEntered();

    ExecResult result = result(exec);

    assertThat(result.status()).isEqualTo(TaskStatus.TIMED_OUT);
    assertThat(result.exitCode()).isNull();
    assertThat(result.error()).isEqualTo("timed out after 5s; the process group was killed");
    assertThat(result.durationMs()).isGreaterThanOrEqualTo(5_000);
    verify(harness.commands, times(1)).killCommand(REF);
    assertThat(harness.tasks().getLast().status()).isEqualTo(TaskStatus.TIMED_OUT);
  }

  @Test
  void aTimeoutWhoseKillFailsAnswersFailedWithBothReasons() {
    Gate running = harness.holdWait();
    harness.killFailsAsOnAPausedSandbox();
    ExecWorkflow exec = harness.start(request(1, false, 0));
    running.awaitEntered();

    ExecResult result = result(exec);

    assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(result.error())
        .isEqualTo("timed out, and the process group could not be killed: container is paused");
    verify(harness.commands, times(1)).killCommand(REF);
  }

  @Test
  void cancellingTheWorkflowKillsTheCommandAndRecordsKilled() {
    Gate running = harness.holdWait();
    ExecWorkflow exec = harness.start(request());
    running.awaitEntered();

    WorkflowStub.fromTyped(exec).cancel();
    ExecResult result = killedResult(exec);

    assertThat(result.status()).isEqualTo(TaskStatus.KILLED);
    assertThat(result.exitCode()).isNull();
    assertThat(result.error()).isEqualTo("killed on request");
    verify(harness.commands, times(1)).killCommand(REF);
    assertThat(harness.tasks())
        .extracting(TaskRecord::status)
        .containsExactly(TaskStatus.RUNNING, TaskStatus.KILLED);
    assertThat(harness.tasks().getLast().result()).isEqualTo(result);
  }

  @Test
  void aKillThatCannotReachTheProcessRecordsFailedWithTheReason() {
    Gate running = harness.holdWait();
    harness.killFailsAsOnAPausedSandbox();
    ExecWorkflow exec = harness.start(request());
    running.awaitEntered();

    WorkflowStub.fromTyped(exec).cancel();
    ExecResult result = killedResult(exec);

    assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(result.error())
        .isEqualTo(
            "kill requested, but the process group could not be killed: container is paused");
    assertThat(harness.tasks().getLast().result()).isEqualTo(result);
  }

  @Test
  void aStallIsNotifiedExactlyOnceAndTheWaitGoesOn() {
    when(harness.commands.awaitCommand(any()))
        .thenReturn(outcome(CommandOutcome.State.STALLED))
        .thenReturn(exited(0));

    ExecResult result = result(harness.start(request(600, false, 30)));

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(result.stalled()).isTrue();
    ArgumentCaptor<AwaitCommand> waits = ArgumentCaptor.forClass(AwaitCommand.class);
    verify(harness.commands, times(2)).awaitCommand(waits.capture());
    assertThat(waits.getAllValues()).extracting(AwaitCommand::stallSeconds).containsOnly(30L);
    assertThat(waits.getAllValues())
        .extracting(AwaitCommand::stallReported)
        .containsExactly(false, true);
    verify(harness.store, times(1)).recordNotification(any());
    Notification stalled = harness.notifications().getFirst();
    assertThat(stalled.kind()).isEqualTo("stalled");
    assertThat(stalled.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(stalled.sessionId()).isEqualTo(SESSION_ID);
    assertThat(stalled.taskId()).isEqualTo(TASK_ID);
    assertThat(stalled.sandboxId()).isEqualTo(SANDBOX_ID);
    assertThat(stalled.message()).startsWith("no new output for 30s");
    assertThat(harness.tasks())
        .extracting(TaskRecord::status, TaskRecord::stalled)
        .containsExactly(
            tuple(TaskStatus.RUNNING, false),
            tuple(TaskStatus.RUNNING, true),
            tuple(TaskStatus.COMPLETED, true));
  }

  @Test
  void aBackgroundTaskNotifiesItsSessionOnceWhenItEnds() {
    ExecResult result = result(harness.start(request(600, true, 0)));

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(harness.notifications()).hasSize(1);
    Notification completed = harness.notifications().getFirst();
    assertThat(completed.kind()).isEqualTo("completed");
    assertThat(completed.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(completed.exitCode()).isZero();
    assertThat(completed.sessionId()).isEqualTo(SESSION_ID);
    assertThat(completed.tenantId()).isEqualTo(TENANT_ID);
    assertThat(completed.message()).isEqualTo("task " + TASK_ID + " completed with exit code 0");
    assertThat(harness.tasks())
        .allSatisfy(task -> assertThat(task.request().background()).isTrue());
  }

  @Test
  void aForegroundTaskWritesNoNotification() {
    ExecResult result = result(harness.start(request(600, false, 0)));

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    verify(harness.store, never()).recordNotification(any());
  }

  @Test
  void aDetachedForegroundTaskNotifiesAndIsRecordedAsBackground() {
    Gate running = harness.holdWait();
    ExecWorkflow exec = harness.start(request(600, false, 0));
    running.awaitEntered();

    exec.detach();
    running.open();
    ExecResult result = result(exec);

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(harness.notifications())
        .singleElement()
        .satisfies(notification -> assertThat(notification.kind()).isEqualTo("completed"));
    List<TaskRecord> tasks = harness.tasks();
    assertThat(tasks.getFirst().request().background()).isFalse();
    assertThat(tasks.getLast().status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(tasks.getLast().request().background()).isTrue();
  }

  @Test
  void aCommandThatCannotStartFailsWithoutWaiting() {
    doThrow(
            ApplicationFailure.newNonRetryableFailure(
                "sandbox sbx-1 is not running", ErrorType.SANDBOX_NOT_RUNNING.name()))
        .when(harness.commands)
        .startCommand(any());

    ExecResult result = result(harness.start(request()));

    assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(result.exitCode()).isNull();
    assertThat(result.error()).isEqualTo("could not start: sandbox sbx-1 is not running");
    // Permanent: one attempt, and nothing to wait for or kill.
    verify(harness.commands, times(1)).startCommand(any());
    verify(harness.commands, never()).awaitCommand(any());
    verify(harness.commands, never()).killCommand(any());
    assertThat(harness.tasks())
        .extracting(TaskRecord::status)
        .containsExactly(TaskStatus.RUNNING, TaskStatus.FAILED);
  }

  @Test
  void aProcessThatVanishesWithoutAnExitCodeEndsKilled() {
    when(harness.commands.awaitCommand(any())).thenReturn(outcome(CommandOutcome.State.VANISHED));

    ExecResult result = result(harness.start(request()));

    assertThat(result.status()).isEqualTo(TaskStatus.KILLED);
    assertThat(result.exitCode()).isNull();
    assertThat(result.error()).startsWith("the process ended without an exit code");
    assertThat(result.outputTail()).isEqualTo("Password: ");
  }

  @Test
  void aWaitThatFailsForGoodFailsTheTaskWithTheReason() {
    when(harness.commands.awaitCommand(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "container is gone", ErrorType.CONTAINER_GONE.name()));

    ExecResult result = result(harness.start(request()));

    assertThat(result.status()).isEqualTo(TaskStatus.FAILED);
    assertThat(result.error()).isEqualTo("lost the command: container is gone");
    verify(harness.commands, times(1)).awaitCommand(any());
  }

  @Test
  void progressAnswersRunningUntilTheEndThenTheResult() {
    Gate running = harness.holdWait();
    ExecWorkflow exec = harness.start(request());
    running.awaitEntered();

    ExecResult during = exec.progress();
    running.open();
    ExecResult result = result(exec);

    assertThat(during.status()).isEqualTo(TaskStatus.RUNNING);
    assertThat(during.taskId()).isEqualTo(TASK_ID);
    assertThat(during.startedAtMs()).isEqualTo(result.startedAtMs());
    assertThat(exec.progress()).isEqualTo(result);
  }

  @Test
  void theEndIsSignalledToTheSandboxSoItsIdleTimerRunsAgain() {
    FakeSandbox sandbox = harness.startSandbox();

    ExecResult result = result(harness.start(request()));

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    ExecHarness.eventually(
        "the sandbox received taskEnded", () -> sandbox.endedTasks().contains(TASK_ID));
    assertThat(sandbox.endedTasks()).containsExactly(TASK_ID);
  }

  @Test
  void theWorkflowCompletesInTheWorkflowTaskThatRecordsTheEnd() {
    harness.startSandbox();

    ExecResult result = result(harness.start(request()));

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    // One task starts the command, the next records its end (row, signal) and completes: the
    // signal goes with the write instead of from the workflow, whose acknowledgement cost a third.
    List<HistoryEvent> events =
        harness.client.fetchHistory(ExecWorkflow.workflowId(SANDBOX_ID, TASK_ID)).getEvents();
    assertThat(events)
        .noneMatch(HistoryEvent::hasSignalExternalWorkflowExecutionInitiatedEventAttributes)
        .filteredOn(HistoryEvent::hasWorkflowTaskCompletedEventAttributes)
        .hasSize(2);
    verify(harness.store).endTask(any());
  }

  @Test
  void aTaskWhoseSandboxIsGoneStillEndsNormally() {
    ExecWorkflow exec = harness.start(request());

    ExecResult result = result(exec);

    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    // The end was recorded and its signal found no sandbox workflow; the task ended anyway.
    verify(harness.store).endTask(any());
    assertThat(harness.tasks().getLast().status()).isEqualTo(TaskStatus.COMPLETED);
    List<HistoryEvent> events =
        harness.client.fetchHistory(ExecWorkflow.workflowId(SANDBOX_ID, TASK_ID)).getEvents();
    assertThat(events.getLast().hasWorkflowExecutionCompletedEventAttributes()).isTrue();
  }

  /**
   * The answer of a cancelled (killed) task. The Java SDK closes every cancel-requested workflow as
   * cancelled, whatever its method returns, so the answer is only in the recorded row and in the
   * {@code progress} query; the API reads the row for exactly this reason.
   */
  private static ExecResult killedResult(ExecWorkflow exec) {
    WorkflowFailedException closed =
        catchThrowableOfType(WorkflowFailedException.class, () -> result(exec));
    assertThat(closed).as("a cancelled task's workflow closes cancelled").isNotNull();
    assertThat(closed.getCause()).isInstanceOf(CanceledFailure.class);
    return exec.progress();
  }
}
