package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.PAUSING;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.TENANT_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.reach;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.verifyNoInteractions;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.ExecTicket;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.StartCommand;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.model.TaskStatus;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.TemporalHarness.Gate;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowFailedException;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.mockito.ArgumentCaptor;

/**
 * Commands through the sandbox: {@code exec} starts a child exec workflow, the running command
 * holds the idle timer, and stop or destroy kill it. Exec workflows run for real here, on mocked
 * command activities.
 */
class SandboxExecTest {

  private static final String TASK_ID = "t-1";
  private static final CommandRef REF = new CommandRef(SANDBOX_ID, TASK_ID);

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void execOnARunningSandboxStartsTheCommandAndAnswersItsTicket() {
    SandboxWorkflow sandbox = harness.running(spec());
    ExecRequest request = request(TASK_ID);

    ExecTicket ticket = sandbox.exec(request);

    assertThat(ticket.taskId()).isEqualTo(TASK_ID);
    assertThat(ticket.workflowId()).isEqualTo("exec-" + SANDBOX_ID + "-" + TASK_ID);
    assertThat(ticket.outputFile()).isEqualTo("/.sandbar/tasks/" + TASK_ID + "/output.log");
    ExecResult result = childResult(ticket);
    assertThat(result.status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(result.exitCode()).isZero();
    // The child runs on the sandbox's host: its command activities came through host-a's queue.
    verify(harness.commands).startCommand(new StartCommand(REF, "make test", null, Map.of()));
    ArgumentCaptor<TaskRecord> recorded = ArgumentCaptor.forClass(TaskRecord.class);
    verify(harness.taskStore, times(2)).recordTask(recorded.capture());
    assertThat(recorded.getAllValues())
        .allSatisfy(
            task -> {
              assertThat(task.sandboxId()).isEqualTo(SANDBOX_ID);
              assertThat(task.tenantId()).isEqualTo(TENANT_ID);
            });
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
  }

  @Test
  void execAnswersInTheWorkflowTaskThatAcceptedItAndLeavesNoChildBehind() {
    SandboxWorkflow sandbox = harness.running(spec());
    String sandboxWorkflow = WorkflowStub.fromTyped(sandbox).getExecution().getWorkflowId();
    int tasksBefore = workflowTasks(sandboxWorkflow).size();

    ExecTicket ticket = sandbox.exec(request(TASK_ID));

    // Started by the update's local activity: the command's workflow exists when the update
    // answers.
    assertThat(harness.client.fetchHistory(ticket.workflowId()).getEvents()).isNotEmpty();
    assertThat(workflowTasks(sandboxWorkflow)).hasSize(tasksBefore + 1);
    assertThat(childResult(ticket).status()).isEqualTo(TaskStatus.COMPLETED);
    assertThat(harness.client.fetchHistory(sandboxWorkflow).getEvents())
        .noneMatch(HistoryEvent::hasStartChildWorkflowExecutionInitiatedEventAttributes)
        .noneMatch(HistoryEvent::hasChildWorkflowExecutionCompletedEventAttributes);
    verify(harness.taskStore).startTask(any());
  }

  @ParameterizedTest(name = "exec is rejected when {0}")
  @EnumSource(
      value = SandboxState.class,
      names = {"PAUSED", "STOPPED"})
  void execOnASandboxThatIsNotRunningIsRejectedNamingTheState(SandboxState state) {
    SandboxWorkflow sandbox = harness.running(spec());
    reach(sandbox, state);

    WorkflowUpdateException rejected =
        catchThrowableOfType(WorkflowUpdateException.class, () -> sandbox.exec(request(TASK_ID)));

    assertThat(rejected).as("exec on a %s sandbox", state).isNotNull();
    ApplicationFailure failure = (ApplicationFailure) rejected.getCause();
    assertThat(failure.getType()).isEqualTo(ErrorType.SANDBOX_NOT_RUNNING.name());
    assertThat(failure.getOriginalMessage())
        .isEqualTo("cannot run a command in a sandbox that is " + state.wire());
    assertThat(sandbox.describe().state()).isEqualTo(state);
    verifyNoInteractions(harness.commands, harness.taskStore);
  }

  @Test
  void aSecondExecWithARunningTaskIdIsRejected() {
    Gate running = harness.gate();
    when(harness.commands.awaitCommand(any())).thenAnswer(running.thenReturn(exited()));
    SandboxWorkflow sandbox = harness.running(spec());
    sandbox.exec(request(TASK_ID));
    running.awaitEntered();

    WorkflowUpdateException rejected =
        catchThrowableOfType(WorkflowUpdateException.class, () -> sandbox.exec(request(TASK_ID)));

    ApplicationFailure failure = (ApplicationFailure) rejected.getCause();
    assertThat(failure.getType()).isEqualTo(ErrorType.INVALID_ARGUMENT.name());
    assertThat(failure.getOriginalMessage()).isEqualTo("task " + TASK_ID + " already exists");
    verify(harness.commands, times(1)).startCommand(any());
  }

  /**
   * A blocked command activity stops the test service from skipping time, so this test runs on a
   * short idle timeout in real time: 3 s idle, the command held for 6 s.
   */
  @Test
  void aRunningCommandHoldsTheIdleTimerAndItsEndRearmsIt() {
    Gate running = harness.gate();
    when(harness.commands.awaitCommand(any())).thenAnswer(running.thenReturn(exited()));
    SandboxWorkflow sandbox = harness.running(spec(3, IdleAction.PAUSE, 0));
    ExecTicket ticket = sandbox.exec(request(TASK_ID));
    running.awaitEntered();

    harness.env.sleep(Duration.ofSeconds(6));

    assertThat(sandbox.describe().state())
        .as("twice the idle timeout into the command")
        .isEqualTo(RUNNING);
    verify(harness.host, never()).pauseContainer(any());
    running.open();
    ExecResult result = childResult(ticket);
    Transition paused = harness.awaitTransitionTo(PAUSED);
    assertThat(paused.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(paused.reason()).isEqualTo("idle for 3s");
    // The idle timeout counts from the command's end, not from the exec.
    long idleAfterEnd = harness.awaitTransitionTo(PAUSING).atMs() - result.endedAtMs();
    assertThat(idleAfterEnd).isBetween(3_000L, 8_000L);
  }

  @Test
  void stopWithARunningCommandKillsIt() {
    Gate running = harness.gate();
    when(harness.commands.awaitCommand(any())).thenAnswer(running.thenReturn(exited()));
    SandboxWorkflow sandbox = harness.running(spec());
    ExecTicket ticket = sandbox.exec(request(TASK_ID));
    running.awaitEntered();

    assertThat(sandbox.stop(Operation.user()).state()).isEqualTo(STOPPED);

    assertThat(killedResult(ticket).status()).isEqualTo(TaskStatus.KILLED);
    verify(harness.commands, times(1)).killCommand(REF);
    verify(harness.host).stopContainer(any());
  }

  @Test
  void destroyWithARunningCommandKillsIt() {
    Gate running = harness.gate();
    when(harness.commands.awaitCommand(any())).thenAnswer(running.thenReturn(exited()));
    SandboxWorkflow sandbox = harness.running(spec());
    ExecTicket ticket = sandbox.exec(request(TASK_ID));
    running.awaitEntered();

    assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, null, false)).state())
        .isEqualTo(DESTROYED);

    assertThat(killedResult(ticket).status()).isEqualTo(TaskStatus.KILLED);
    verify(harness.commands, times(1)).killCommand(REF);
  }

  private static ExecRequest request(String taskId) {
    return new ExecRequest(taskId, "make test", null, Map.of(), 600, "session-1", null, false, 0);
  }

  private static CommandOutcome exited() {
    return new CommandOutcome(CommandOutcome.State.EXITED, 0, "ok\n", "", false, "ok\n", 3);
  }

  private List<HistoryEvent> workflowTasks(String workflowId) {
    return harness.client.fetchHistory(workflowId).getEvents().stream()
        .filter(HistoryEvent::hasWorkflowTaskCompletedEventAttributes)
        .toList();
  }

  private ExecResult childResult(ExecTicket ticket) {
    return harness.client.newUntypedWorkflowStub(ticket.workflowId()).getResult(ExecResult.class);
  }

  /** A killed child closes cancelled (the SDK's rule); its query still answers how it ended. */
  private ExecResult killedResult(ExecTicket ticket) {
    WorkflowStub child = harness.client.newUntypedWorkflowStub(ticket.workflowId());
    WorkflowFailedException closed =
        catchThrowableOfType(
            WorkflowFailedException.class, () -> child.getResult(ExecResult.class));
    assertThat(closed).as("the killed child's workflow closes cancelled").isNotNull();
    assertThat(closed.getCause()).isInstanceOf(CanceledFailure.class);
    return harness.client.newWorkflowStub(ExecWorkflow.class, ticket.workflowId()).progress();
  }
}
