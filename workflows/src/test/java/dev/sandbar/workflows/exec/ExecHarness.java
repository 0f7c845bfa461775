package dev.sandbar.workflows.exec;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.testing.CommandMocks;
import dev.sandbar.workflows.testing.TaskStoreMocks;
import dev.sandbar.workflows.testing.TemporalHarness;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.failure.ApplicationFailure;
import io.temporal.worker.WorkerOptions;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link TemporalHarness} with {@link ExecWorkflowImpl} and its task-store activities on the
 * control queue and its command activities on the queue of {@link #HOST_ID}. Both activity
 * interfaces are mocks; by default the command exits 0 at once. No sandbox workflow runs unless a
 * test starts {@link FakeSandbox}.
 *
 * <p>The test service never skips time while an activity is outstanding, so a command blocked in
 * {@code awaitCommand} costs real time: tests that block keep their limits to a few seconds.
 */
final class ExecHarness extends TemporalHarness {

  static final String SESSION_ID = "session-1";
  static final String TASK_ID = "t-1";
  static final CommandRef REF = new CommandRef(SANDBOX_ID, TASK_ID);

  final CommandActivities commands =
      mock(CommandActivities.class, withSettings().withoutAnnotations());
  final TaskStoreActivities store =
      mock(TaskStoreActivities.class, withSettings().withoutAnnotations());

  private final List<TaskRecord> tasks = new CopyOnWriteArrayList<>();
  private final List<Notification> notifications = new CopyOnWriteArrayList<>();

  ExecHarness() {
    this(WorkflowImplementationOptions.getDefaultInstance());
  }

  /** With per-activity-type options that override the workflow's own, as a worker may set. */
  ExecHarness(WorkflowImplementationOptions workflowOptions) {
    this(workflowOptions, WorkerOptions.getDefaultInstance());
  }

  /** With a host-queue worker that runs at most {@code slots} activities at once. */
  static ExecHarness withHostSlots(int slots) {
    return new ExecHarness(
        WorkflowImplementationOptions.getDefaultInstance(),
        WorkerOptions.newBuilder().setMaxConcurrentActivityExecutionSize(slots).build());
  }

  private ExecHarness(
      WorkflowImplementationOptions workflowOptions, WorkerOptions hostWorkerOptions) {
    super(RejectionPreservingFailureConverter.DATA_CONVERTER, hostWorkerOptions);
    controlWorker.registerWorkflowImplementationTypes(workflowOptions, ExecWorkflowImpl.class);
    controlWorker.registerWorkflowImplementationTypes(FakeSandboxImpl.class);
    controlWorker.registerActivitiesImplementations(store);
    hostWorker.registerActivitiesImplementations(commands);
    commandWaitWorker.registerActivitiesImplementations(commands);

    doAnswer(
            invocation -> {
              tasks.add(invocation.getArgument(0));
              return null;
            })
        .when(store)
        .recordTask(any());
    doAnswer(
            invocation -> {
              notifications.add(invocation.getArgument(0));
              return null;
            })
        .when(store)
        .recordNotification(any());
    CommandMocks.runThroughStartAndAwait(commands);
    TaskStoreMocks.endThroughRecordsAndSignal(store);
    when(commands.awaitCommand(any())).thenReturn(exited(0));
    start();
  }

  /** A foreground command with a ten-minute limit and stall detection off. */
  static ExecRequest request() {
    return request(600, false, 0);
  }

  static ExecRequest request(long timeoutSeconds, boolean background, long stallSeconds) {
    return new ExecRequest(
        TASK_ID,
        "make test",
        "/work",
        Map.of("CI", "1"),
        timeoutSeconds,
        SESSION_ID,
        "run the tests",
        background,
        stallSeconds);
  }

  static CommandOutcome exited(int exitCode) {
    return new CommandOutcome(
        CommandOutcome.State.EXITED, exitCode, "out\n", "err\n", false, "out\nerr\n", 8);
  }

  static CommandOutcome outcome(CommandOutcome.State state) {
    return new CommandOutcome(state, null, "", "", false, "Password: ", 10);
  }

  /** Holds the command's wait at a new gate; once opened, the command exits 0. */
  Gate holdWait() {
    Gate running = gate();
    when(commands.awaitCommand(any())).thenAnswer(running.thenReturn(exited(0)));
    return running;
  }

  /** Every kill fails the way it does in a paused sandbox. */
  void killFailsAsOnAPausedSandbox() {
    doThrow(
            ApplicationFailure.newNonRetryableFailure(
                "container is paused", ErrorType.SANDBOX_NOT_RUNNING.name()))
        .when(commands)
        .killCommand(any());
  }

  /** Starts the command's workflow the way the sandbox workflow does, without waiting. */
  ExecWorkflow start(ExecRequest request) {
    ExecWorkflow workflow =
        client.newWorkflowStub(
            ExecWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowId(ExecWorkflow.workflowId(SANDBOX_ID, request.taskId()))
                .build());
    WorkflowClient.start(workflow::run, new ExecInput(SANDBOX_ID, TENANT_ID, HOST_ID, request));
    return workflow;
  }

  /** Waits for the workflow's answer; the test service skips timers meanwhile. */
  static ExecResult result(ExecWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(ExecResult.class);
  }

  /** Starts a stand-in for the sandbox workflow that only collects {@code taskEnded} signals. */
  FakeSandbox startSandbox() {
    FakeSandbox sandbox =
        client.newWorkflowStub(
            FakeSandbox.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowId(WorkflowIds.sandbox(SANDBOX_ID))
                .build());
    WorkflowClient.start(sandbox::run);
    return sandbox;
  }

  /** Every task row written so far, in the order the workflow wrote them. */
  List<TaskRecord> tasks() {
    return List.copyOf(tasks);
  }

  List<Notification> notifications() {
    return List.copyOf(notifications);
  }

  /**
   * Registered under the sandbox workflow's type name, so the exec workflow's {@code taskEnded}
   * signal has a receiver without the whole sandbox machinery.
   */
  @WorkflowInterface
  public interface FakeSandbox {
    @WorkflowMethod(name = "SandboxWorkflow")
    void run();

    @SignalMethod
    void taskEnded(String taskId);

    @QueryMethod
    List<String> endedTasks();
  }

  public static class FakeSandboxImpl implements FakeSandbox {
    private final List<String> ended = new ArrayList<>();

    @Override
    public void run() {
      Workflow.await(() -> false);
    }

    @Override
    public void taskEnded(String taskId) {
      ended.add(taskId);
    }

    @Override
    public List<String> endedTasks() {
      return List.copyOf(ended);
    }
  }
}
