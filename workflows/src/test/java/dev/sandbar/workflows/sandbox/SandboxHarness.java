package dev.sandbar.workflows.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.SearchAttributes;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.activity.ArchiveStoreActivities;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.exec.ExecWorkflowImpl;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ArchiveLookup;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.model.Transition;
import io.temporal.api.enums.v1.IndexedValueType;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowClientOptions;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.common.SearchAttributeKey;
import io.temporal.common.converter.DataConverter;
import io.temporal.testing.TestEnvironmentOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mockito.stubbing.Answer;

/**
 * A time-skipping Temporal test service with the sandbox and exec workflows and their store
 * activities on the control queue and their host activities (containers, commands, archives) on the
 * queue of {@link #HOST_ID}, the way a worker wires them. Every activity interface is a mock that
 * answers like a healthy host; tests re-stub them to fail or to block.
 */
final class SandboxHarness implements AutoCloseable {

  static final String HOST_ID = "host-a";
  static final String SANDBOX_ID = "sbx-1";
  static final String TENANT_ID = "tenant-1";
  static final String CONTAINER_ID = "c0ffee";
  static final long ARCHIVE_SIZE = 4096;
  static final String ARCHIVE_SHA256 = "ab".repeat(32);

  /** How long a test waits in real time for something the workflow does on its own. */
  private static final Duration PATIENCE = Duration.ofSeconds(20);

  final TestWorkflowEnvironment env;
  final WorkflowClient client;
  final StoreActivities store = mock(StoreActivities.class, withSettings().withoutAnnotations());
  final HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
  final CommandActivities commands =
      mock(CommandActivities.class, withSettings().withoutAnnotations());
  final TaskStoreActivities taskStore =
      mock(TaskStoreActivities.class, withSettings().withoutAnnotations());
  final ArchiveActivities archives =
      mock(ArchiveActivities.class, withSettings().withoutAnnotations());
  final ArchiveStoreActivities archiveStore =
      mock(ArchiveStoreActivities.class, withSettings().withoutAnnotations());

  private final List<Transition> transitions = new CopyOnWriteArrayList<>();
  private final List<Gate> gates = new ArrayList<>();

  SandboxHarness() {
    this(RejectionPreservingFailureConverter.DATA_CONVERTER);
  }

  SandboxHarness(DataConverter dataConverter) {
    this(dataConverter, WorkflowImplementationOptions.getDefaultInstance());
  }

  /** With per-activity-type options that override the workflow's own, as a worker may set. */
  SandboxHarness(WorkflowImplementationOptions workflowOptions) {
    this(RejectionPreservingFailureConverter.DATA_CONVERTER, workflowOptions);
  }

  private SandboxHarness(
      DataConverter dataConverter, WorkflowImplementationOptions workflowOptions) {
    env =
        TestWorkflowEnvironment.newInstance(
            TestEnvironmentOptions.newBuilder()
                .setWorkflowClientOptions(
                    WorkflowClientOptions.newBuilder().setDataConverter(dataConverter).build())
                .build());
    for (SearchAttributeKey<String> key : SearchAttributes.ALL) {
      env.registerSearchAttribute(key.getName(), IndexedValueType.INDEXED_VALUE_TYPE_KEYWORD);
    }
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(
        workflowOptions, SandboxWorkflowImpl.class, ExecWorkflowImpl.class);
    control.registerActivitiesImplementations(store, taskStore, archiveStore);
    env.newWorker(TaskQueues.host(HOST_ID))
        .registerActivitiesImplementations(host, commands, archives);
    client = env.getWorkflowClient();

    when(store.placeSandbox(any())).thenReturn(HOST_ID);
    doAnswer(
            invocation -> {
              transitions.add(invocation.getArgument(0));
              return null;
            })
        .when(store)
        .recordTransition(any());
    when(host.createContainer(any())).thenReturn(container(ContainerStatus.CREATED));
    when(host.startContainer(any())).thenReturn(container(ContainerStatus.RUNNING));
    when(host.stopContainer(any())).thenReturn(container(ContainerStatus.EXITED));
    when(host.pauseContainer(any())).thenReturn(container(ContainerStatus.PAUSED));
    when(host.unpauseContainer(any())).thenReturn(container(ContainerStatus.RUNNING));
    when(commands.awaitCommand(any()))
        .thenReturn(
            new CommandOutcome(CommandOutcome.State.EXITED, 0, "ok\n", "", false, "ok\n", 3));
    // A test re-stubbing with when(...) calls these answers with null: they answer null then.
    when(archives.exportData(any()))
        .thenAnswer(
            invocation -> {
              ExportData request = invocation.getArgument(0);
              return request == null
                  ? null
                  : new ArchiveFile(request.archiveId(), ARCHIVE_SIZE, ARCHIVE_SHA256);
            });
    when(archiveStore.findArchive(any()))
        .thenAnswer(
            invocation -> {
              ArchiveLookup lookup = invocation.getArgument(0);
              if (lookup == null) {
                return null;
              }
              return new ArchiveInfo(
                  lookup.archiveId(),
                  "sbx-0",
                  lookup.tenantId(),
                  HOST_ID,
                  ARCHIVE_SIZE,
                  ARCHIVE_SHA256,
                  0,
                  "ready");
            });
    env.start();
  }

  static ContainerInfo container(ContainerStatus status) {
    return new ContainerInfo(CONTAINER_ID, status);
  }

  /** A spec with the idle timer and the lifetime switched off. */
  static SandboxSpec spec() {
    return spec(0, IdleAction.PAUSE, 0);
  }

  static SandboxSpec spec(long idleTimeoutSeconds, IdleAction idleAction, long ttlSeconds) {
    return new SandboxSpec(
        "sandbar-base:latest",
        List.of("sleep", "infinity"),
        Map.of("LANG", "C.UTF-8"),
        Map.of("team", "tests"),
        Resources.DEFAULT,
        idleTimeoutSeconds,
        idleAction,
        ttlSeconds,
        "/data",
        "none",
        null,
        List.of());
  }

  SandboxWorkflowInput newSandbox(SandboxSpec spec) {
    return new SandboxWorkflowInput(SANDBOX_ID, TENANT_ID, spec, env.currentTimeMillis(), null);
  }

  /** Starts the workflow without waiting for creation. */
  SandboxWorkflow start(SandboxWorkflowInput input) {
    SandboxWorkflow workflow =
        client.newWorkflowStub(
            SandboxWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowId(SandboxWorkflow.workflowId(input.sandboxId()))
                .build());
    WorkflowClient.start(workflow::run, input);
    return workflow;
  }

  /** Starts a sandbox and waits until it has settled, asserting it came up running. */
  SandboxWorkflow running(SandboxSpec spec) {
    SandboxWorkflow workflow = start(newSandbox(spec));
    assertThat(workflow.awaitSettled().state()).isEqualTo(SandboxState.RUNNING);
    return workflow;
  }

  /**
   * Skips the test service's clock to {@code epochMs}. Deadlines are relative to the workflow's own
   * timestamps; the clock also runs in real time while the test does other work.
   */
  void sleepUntil(long epochMs) {
    env.sleep(Duration.ofMillis(Math.max(0, epochMs - env.currentTimeMillis())));
  }

  /** Options for an update sent without waiting for its result, only for its acceptance. */
  static UpdateOptions<SandboxView> accepted(String updateName) {
    return UpdateOptions.newBuilder(SandboxView.class)
        .setUpdateName(updateName)
        .setWaitForStage(WorkflowUpdateStage.ACCEPTED)
        .build();
  }

  static SandboxView result(SandboxWorkflow workflow) {
    return WorkflowStub.fromTyped(workflow).getResult(SandboxView.class);
  }

  /** Every transition written so far, in sequence order. */
  List<Transition> transitions() {
    return transitions.stream().sorted(Comparator.comparingLong(Transition::seq)).toList();
  }

  List<SandboxState> recordedStates() {
    return transitions().stream().map(Transition::to).toList();
  }

  /** Waits until the workflow has written a transition to {@code state} and returns the last. */
  Transition awaitTransitionTo(SandboxState state) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      List<Transition> matching =
          transitions().stream().filter(transition -> transition.to() == state).toList();
      if (!matching.isEmpty()) {
        return matching.getLast();
      }
      pause();
    }
    throw new AssertionError(
        "no transition to " + state + " within " + PATIENCE + "; recorded " + recordedStates());
  }

  /** Waits until the workflow reports {@code state} (the transient states are only seen so). */
  void awaitState(SandboxWorkflow workflow, SandboxState state) {
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    SandboxState seen = null;
    while (System.nanoTime() < deadline) {
      seen = workflow.describe().state();
      if (seen == state) {
        return;
      }
      pause();
    }
    throw new AssertionError("sandbox still " + seen + " after " + PATIENCE + ", not " + state);
  }

  /** Waits until the workflow has accepted an update named {@code updateName}. */
  void awaitQueued(SandboxWorkflow workflow, String updateName) {
    String workflowId = WorkflowStub.fromTyped(workflow).getExecution().getWorkflowId();
    long deadline = System.nanoTime() + PATIENCE.toNanos();
    while (System.nanoTime() < deadline) {
      boolean accepted =
          client.fetchHistory(workflowId).getEvents().stream()
              .filter(HistoryEvent::hasWorkflowExecutionUpdateAcceptedEventAttributes)
              .map(
                  event ->
                      event
                          .getWorkflowExecutionUpdateAcceptedEventAttributes()
                          .getAcceptedRequest()
                          .getInput()
                          .getName())
              .anyMatch(updateName::equals);
      if (accepted) {
        return;
      }
      pause();
    }
    throw new AssertionError("update " + updateName + " not accepted within " + PATIENCE);
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

  /**
   * Holds activity calls until {@link #open}, so a test can act while an operation is in flight.
   */
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
}
