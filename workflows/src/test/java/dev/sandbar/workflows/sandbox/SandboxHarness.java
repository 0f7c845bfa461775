package dev.sandbar.workflows.sandbox;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.activity.ArchiveStoreActivities;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.activity.HealthStoreActivities;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.activity.PoolHostActivities;
import dev.sandbar.workflows.activity.PoolStoreActivities;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.exec.ExecWorkflowImpl;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ArchiveLookup;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.CommandMocks;
import dev.sandbar.workflows.testing.TaskStoreMocks;
import dev.sandbar.workflows.testing.TemporalHarness;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.UpdateOptions;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import io.temporal.client.WorkflowUpdateStage;
import io.temporal.common.converter.DataConverter;
import io.temporal.worker.WorkflowImplementationOptions;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link TemporalHarness} with the sandbox and exec workflows and their store activities on the
 * control queue and their host activities (containers, commands, archives) on the queue of {@link
 * #HOST_ID}. Every activity interface is a mock that answers like a healthy host; tests re-stub
 * them to fail or to block.
 */
final class SandboxHarness extends TemporalHarness {

  static final String CONTAINER_ID = "c0ffee";
  static final long ARCHIVE_SIZE = 4096;
  static final String ARCHIVE_SHA256 = "ab".repeat(32);

  final StoreActivities store = mock(StoreActivities.class, withSettings().withoutAnnotations());
  final HealthStoreActivities healthStore =
      mock(HealthStoreActivities.class, withSettings().withoutAnnotations());
  final HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
  final CommandActivities commands =
      mock(CommandActivities.class, withSettings().withoutAnnotations());
  final TaskStoreActivities taskStore =
      mock(TaskStoreActivities.class, withSettings().withoutAnnotations());
  final ArchiveActivities archives =
      mock(ArchiveActivities.class, withSettings().withoutAnnotations());
  final ArchiveStoreActivities archiveStore =
      mock(ArchiveStoreActivities.class, withSettings().withoutAnnotations());

  /** An empty warm pool by default: every claim answers null, so creates make a container. */
  final PoolStoreActivities poolStore =
      mock(PoolStoreActivities.class, withSettings().withoutAnnotations());

  final PoolHostActivities poolHost =
      mock(PoolHostActivities.class, withSettings().withoutAnnotations());

  private final List<Transition> transitions = new CopyOnWriteArrayList<>();

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
    super(dataConverter);
    controlWorker.registerWorkflowImplementationTypes(
        workflowOptions, SandboxWorkflowImpl.class, ExecWorkflowImpl.class);
    controlWorker.registerActivitiesImplementations(
        store, taskStore, archiveStore, healthStore, poolStore);
    hostWorker.registerActivitiesImplementations(host, commands, archives, poolHost);
    commandWaitWorker.registerActivitiesImplementations(commands);

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
    // What the real activity does, through this mock's own answers: a test that stubs a create or
    // start failure (or counts the calls) sees it in a combined create as well.
    when(host.createAndStartContainer(any()))
        .thenAnswer(
            invocation -> {
              CreateContainer request = invocation.getArgument(0);
              host.createContainer(request);
              return host.startContainer(new ContainerRef(request.sandboxId()));
            });
    when(host.stopContainer(any())).thenReturn(container(ContainerStatus.EXITED));
    when(host.pauseContainer(any())).thenReturn(container(ContainerStatus.PAUSED));
    when(host.unpauseContainer(any())).thenReturn(container(ContainerStatus.RUNNING));
    CommandMocks.runThroughStartAndAwait(commands);
    TaskStoreMocks.endThroughRecordsAndSignal(taskStore);
    TaskStoreMocks.startThroughClient(taskStore);
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
    start();
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

  /**
   * Takes a running sandbox to {@code state} by user operations. Error is reached by a stop and a
   * start, so it needs the test to stub the second start to fail.
   */
  static void reach(SandboxWorkflow sandbox, SandboxState state) {
    switch (state) {
      case RUNNING -> {}
      case PAUSED -> sandbox.pause(Operation.user());
      case STOPPED -> sandbox.stop(Operation.user());
      case ERROR -> {
        sandbox.stop(Operation.user());
        sandbox.start(Operation.user());
      }
      default -> throw new IllegalArgumentException("no user operation leads to " + state);
    }
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
          updateNames(client.fetchHistory(workflowId).getEvents()).contains(updateName);
      if (accepted) {
        return;
      }
      pause();
    }
    throw new AssertionError("update " + updateName + " not accepted within " + PATIENCE);
  }

  /** The names of the updates a history accepted, in order. */
  static List<String> updateNames(List<HistoryEvent> events) {
    return events.stream()
        .filter(HistoryEvent::hasWorkflowExecutionUpdateAcceptedEventAttributes)
        .map(
            event ->
                event
                    .getWorkflowExecutionUpdateAcceptedEventAttributes()
                    .getAcceptedRequest()
                    .getInput()
                    .getName())
        .toList();
  }
}
