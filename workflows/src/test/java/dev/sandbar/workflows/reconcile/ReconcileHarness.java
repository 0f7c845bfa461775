package dev.sandbar.workflows.reconcile;

import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyString;
import static org.mockito.Mockito.doAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.activity.HealthStoreActivities;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.activity.InventoryActivities;
import dev.sandbar.workflows.activity.ReconcileMetricsActivities;
import dev.sandbar.workflows.activity.ReconcileStoreActivities;
import dev.sandbar.workflows.activity.StoreActivities;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.HostListing;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.KnownSandbox;
import dev.sandbar.workflows.model.ListedContainer;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.model.ReconcileSummary;
import dev.sandbar.workflows.model.ReconcileTarget;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.model.SystemEvent;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import dev.sandbar.workflows.sandbox.SandboxWorkflowImpl;
import dev.sandbar.workflows.testing.TemporalHarness;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The {@link TemporalHarness} with the reconciliation cron and real sandbox workflows, every
 * activity a mock: the read model is kept from the transitions the sandbox workflows write, the
 * listing of {@link #HOST_ID} answers what a test sets, and {@link #DEAD_HOST} has no worker at
 * all, so its listing is never picked up.
 */
final class ReconcileHarness extends TemporalHarness {

  /** A registered host whose worker is gone: nothing polls its queue. */
  static final String DEAD_HOST = "host-dead";

  /** The sequence number a sandbox carries when a test starts it. */
  static final long START_SEQ = 7;

  final StoreActivities store = mock(StoreActivities.class, withSettings().withoutAnnotations());
  final HealthStoreActivities healthStore =
      mock(HealthStoreActivities.class, withSettings().withoutAnnotations());
  final HostActivities host = mock(HostActivities.class, withSettings().withoutAnnotations());
  final ReconcileMetricsActivities metrics =
      mock(ReconcileMetricsActivities.class, withSettings().withoutAnnotations());
  final InventoryActivities inventory =
      mock(InventoryActivities.class, withSettings().withoutAnnotations());
  final ReconcileStoreActivities reconcileStore =
      mock(ReconcileStoreActivities.class, withSettings().withoutAnnotations());

  /** The read model: the last transition of each sandbox (destroyed ones included). */
  private final Map<String, KnownSandbox> readModel = new ConcurrentHashMap<>();

  final List<SystemEvent> events = new CopyOnWriteArrayList<>();
  final List<Long> passStartedAtMs = new CopyOnWriteArrayList<>();

  /**
   * The hosts a pass visits; {@link #DEAD_HOST} only when a test adds it, since the test service
   * waits out a schedule-to-start timeout in real time.
   */
  volatile List<ReconcileTarget> targets =
      List.of(new ReconcileTarget(HOST_ID, ReconcileTarget.ONLINE));

  volatile HostListing listing = new HostListing(List.of(), List.of(), 0);

  ReconcileHarness() {
    super(RejectionPreservingFailureConverter.DATA_CONVERTER);
    controlWorker.registerWorkflowImplementationTypes(
        SandboxWorkflowImpl.class, HostReconcileWorkflowImpl.class);
    controlWorker.registerActivitiesImplementations(store, reconcileStore, metrics, healthStore);
    hostWorker.registerActivitiesImplementations(host, inventory);

    doAnswer(
            invocation -> {
              Transition t = invocation.getArgument(0);
              readModel.merge(
                  t.sandboxId(),
                  new KnownSandbox(t.sandboxId(), t.tenantId(), t.hostId(), t.to(), t.seq()),
                  (old, neu) -> neu.seq() > old.seq() ? neu : old);
              return null;
            })
        .when(store)
        .recordTransition(any());
    when(reconcileStore.reconcileTargets())
        .thenAnswer(
            invocation -> {
              passStartedAtMs.add(env.currentTimeMillis());
              return targets;
            });
    when(reconcileStore.sandboxesOn(anyString()))
        .thenAnswer(
            invocation -> {
              String hostId = invocation.getArgument(0);
              return readModel.values().stream()
                  .filter(s -> hostId.equals(s.hostId()) && s.state() != SandboxState.DESTROYED)
                  .toList();
            });
    when(reconcileStore.sandboxesByIds(anyList()))
        .thenAnswer(
            invocation -> {
              List<String> ids = invocation.getArgument(0);
              List<KnownSandbox> found = new ArrayList<>();
              ids.forEach(
                  id -> {
                    if (readModel.containsKey(id)) {
                      found.add(readModel.get(id));
                    }
                  });
              return found;
            });
    when(reconcileStore.markHostUnreachable(any()))
        .thenAnswer(
            invocation -> {
              events.add(invocation.getArgument(0));
              return true;
            });
    when(reconcileStore.markHostReachable(any()))
        .thenAnswer(
            invocation -> {
              events.add(invocation.getArgument(0));
              return true;
            });
    doAnswer(
            invocation -> {
              events.add(invocation.getArgument(0));
              return null;
            })
        .when(reconcileStore)
        .recordSystemEvent(any());
    when(inventory.listSandboxContainers()).thenAnswer(invocation -> listing);
    start();
  }

  static SandboxSpec spec() {
    return new SandboxSpec(
        "sandbar-base:latest",
        List.of("sleep", "infinity"),
        Map.of(),
        Map.of(),
        Resources.DEFAULT,
        0,
        IdleAction.PAUSE,
        0,
        "/data",
        "none",
        null,
        List.of());
  }

  /**
   * Starts a sandbox workflow that adopts {@code state} on {@code hostId} (as recovery or a
   * continue-as-new would), with the read model at the same sequence number.
   */
  SandboxWorkflow sandbox(String sandboxId, SandboxState state, String hostId) {
    readModel.put(sandboxId, new KnownSandbox(sandboxId, TENANT_ID, hostId, state, START_SEQ));
    SandboxWorkflow workflow =
        client.newWorkflowStub(
            SandboxWorkflow.class,
            WorkflowOptions.newBuilder()
                .setTaskQueue(TaskQueues.CONTROL)
                .setWorkflowId(SandboxWorkflow.workflowId(sandboxId))
                .build());
    WorkflowClient.start(
        workflow::run,
        new SandboxWorkflowInput(
            sandboxId,
            TENANT_ID,
            spec(),
            env.currentTimeMillis(),
            new SandboxWorkflowInput.Carried(
                state,
                hostId,
                "c-" + sandboxId,
                null,
                env.currentTimeMillis(),
                null,
                List.of(),
                START_SEQ)));
    return workflow;
  }

  /** A row of the read model only, with no workflow (a destroyed sandbox). */
  void destroyedRow(String sandboxId, String hostId) {
    readModel.put(
        sandboxId,
        new KnownSandbox(sandboxId, TENANT_ID, hostId, SandboxState.DESTROYED, START_SEQ));
  }

  KnownSandbox row(String sandboxId) {
    return readModel.get(sandboxId);
  }

  static ListedContainer container(String sandboxId, ContainerStatus status, Integer exitCode) {
    return new ListedContainer(sandboxId, TENANT_ID, "c-" + sandboxId, status, exitCode, 0);
  }

  /** The listing of {@link #HOST_ID}, read at {@code listedAtMs} on the host's clock. */
  void hostHas(List<ListedContainer> containers, List<String> volumes, long listedAtMs) {
    listing = new HostListing(containers, volumes, listedAtMs);
  }

  HostReconcileWorkflow reconcileStub() {
    return client.newWorkflowStub(
        HostReconcileWorkflow.class,
        WorkflowOptions.newBuilder()
            .setTaskQueue(TaskQueues.CONTROL)
            .setWorkflowId(HostReconcileWorkflow.WORKFLOW_ID)
            .build());
  }

  /** Runs one whole run (a minute of passes) and answers its summary. */
  ReconcileSummary runOnce(ReconcileSettings settings) {
    return reconcileStub().reconcile(settings);
  }

  /** Waits until the sandbox workflow reports {@code state}. */
  void awaitState(SandboxWorkflow sandbox, SandboxState state) {
    eventually("sandbox " + state.wire(), () -> sandbox.describe().state() == state);
  }
}
