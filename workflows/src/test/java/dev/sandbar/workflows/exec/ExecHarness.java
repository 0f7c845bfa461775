package dev.sandbar.workflows.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkflowImplementationOptions;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mockito.stubbing.Answer;

/**
 * A time-skipping Temporal test service with {@link ExecWorkflowImpl} and its task-store activities
 * on the control queue and its command activities on the queue of {@link #HOST_ID}, the way a
 * worker wires them. Both activity interfaces are mocks; by default the command exits 0 at once. No
 * sandbox workflow runs unless a test starts {@link FakeSandbox}.
 *
 * <p>The test service never skips time while an activity is outstanding, so a command blocked in
 * {@code awaitCommand} costs real time: tests that block keep their limits to a few seconds.
 */
final class ExecHarness implements AutoCloseable {

  static final String HOST_ID = "host-a";
  static final String SANDBOX_ID = "sbx-1";
  static final String TENANT_ID = "tenant-1";
  static final String SESSION_ID = "session-1";
  static final String TASK_ID = "t-1";
  static final CommandRef REF = new CommandRef(SANDBOX_ID, TASK_ID);

  /** How long a test waits in real time for something the workflow does on its own. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final CommandActivities commands =
      mock(CommandActivities.class, withSettings().withoutAnnotations());
  final TaskStoreActivities store =
      mock(TaskStoreActivities.class, withSettings().withoutAnnotations());

  private final List<TaskRecord> tasks = new CopyOnWriteArrayList<>();
  private final List<Notification> notifications = new CopyOnWriteArrayList<>();
  private final List<Gate> gates = new ArrayList<>();

  ExecHarness() {
    this(WorkflowImplementationOptions.getDefaultInstance());
  }

  /** With per-activity-type options that override the workflow's own, as a worker may set. */
  ExecHarness(WorkflowImplementationOptions workflowOptions) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder()
                        .setDataConverter(RejectionPreservingFailureConverter.DATA_CONVERTER)
                        .build())
                .build());
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(workflowOptions, ExecWorkflowImpl.class);
    control.registerWorkflowImplementationTypes(FakeSandboxImpl.class);
    control.registerActivitiesImplementations(store);
    env.newWorker(TaskQueues.host(HOST_ID)).registerActivitiesImplementations(commands);
    client = env.getWorkflowClient();

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
    when(commands.awaitCommand(any())).thenReturn(exited(0));
    env.start();
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
                .setWorkflowId(SandboxWorkflow.workflowId(SANDBOX_ID))
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

  /** Waits until {@code check} holds, re-evaluating it every few milliseconds. */
  static void eventually(String what, java.util.function.BooleanSupplier check) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      if (check.getAsBoolean()) {
        return;
      }
      pause();
    }
    throw new AssertionError(what + " did not happen within " + PATIENCE);
  }

  /** A gate an activity mock blocks on until the test opens it. */
  Gate gate() {
    Gate gate = new Gate();
    gates.add(gate);
    return gate;
  }

  @Override
  public void close() {
    gates.forEach(Gate::open);
    env.close();
  }

  private static void pause() {
    try {
      Thread.sleep(20);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while waiting", e);
    }
  }

  /** Holds activity calls until {@link #open}, so a test can act while a command is in flight. */
  static final class Gate {
    private final CountDownLatch entered = new CountDownLatch(1);
    private final CountDownLatch opened = new CountDownLatch(1);

    /** An answer that blocks at the gate, then returns {@code result}. */
    <T> Answer<T> thenReturn(T result) {
      return invocation -> {
        entered.countDown();
        if (!opened.await(PATIENCE.toSeconds() * 3, TimeUnit.SECONDS)) {
          throw new IllegalStateException("the test never opened the gate");
        }
        return result;
      };
    }

    void awaitEntered() {
      try {
        assertThat(entered.await(PATIENCE.toSeconds(), TimeUnit.SECONDS))
            .as("the gated activity was called")
            .isTrue();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted while waiting", e);
      }
    }

    void open() {
      opened.countDown();
    }
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
