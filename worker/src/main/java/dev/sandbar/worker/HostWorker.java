package dev.sandbar.worker;

import dev.sandbar.activities.container.DockerHostProbe;
import dev.sandbar.activities.database.DataErrorInterceptor;
import dev.sandbar.store.host.HostRegistration;
import dev.sandbar.worker.recovery.StartupRecovery;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.archive.ArchiveDeletionWorkflowImpl;
import dev.sandbar.workflows.exec.ExecWorkflowImpl;
import dev.sandbar.workflows.exec.TaskOutputWorkflowImpl;
import dev.sandbar.workflows.exec.TaskPrunerWorkflow;
import dev.sandbar.workflows.exec.TaskPrunerWorkflowImpl;
import dev.sandbar.workflows.exec.TaskStdinWorkflowImpl;
import dev.sandbar.workflows.exec.TaskStreamWorkflowImpl;
import dev.sandbar.workflows.metrics.SandboxMetricsWorkflowImpl;
import dev.sandbar.workflows.model.PoolSettings;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.pool.HostPoolWorkflow;
import dev.sandbar.workflows.pool.HostPoolWorkflowImpl;
import dev.sandbar.workflows.reconcile.HostReconcileWorkflow;
import dev.sandbar.workflows.reconcile.HostReconcileWorkflowImpl;
import dev.sandbar.workflows.sandbox.SandboxWorkflowImpl;
import io.temporal.api.enums.v1.WorkflowIdReusePolicy;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerFactory;
import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * One host's worker: polls the shared control queue (sandbox workflows, database activities), its
 * own host queue (Docker activities) and its command-wait queue, after registering the host so
 * placement can choose it.
 *
 * <p>The command waits have a worker of their own because a wait holds its activity slot for as
 * long as the command runs (up to 30 min): on the host queue, a few hundred background commands
 * filled every slot and each other tenant's create, stop and kill waited behind them. The waits'
 * worker runs them on virtual threads (a wait mostly sleeps between polls) with its own slot limit,
 * and the host queue keeps its slots for container calls.
 */
public class HostWorker implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(HostWorker.class);

  private final WorkflowClient client;
  private final WorkerProperties properties;
  private final WorkerActivities activities;

  /** Writes (or withdraws) the host's files endpoint; the host row must exist first. */
  private final Runnable advertiseFiles;

  private final int maxCommandWaits;
  private final DockerHostProbe probe;
  private final long taskRetentionSeconds;
  private final ReconcileSettings reconcile;
  private final StartupRecovery recovery;
  private final PoolSettings pool;
  private final WorkerTuning tuning;
  private ScheduledExecutorService heartbeats;
  private WorkerFactory controlFactory;
  private WorkerFactory hostFactory;

  HostWorker(
      WorkflowClient client,
      WorkerProperties properties,
      WorkerActivities activities,
      Runnable advertiseFiles,
      int maxCommandWaits,
      DockerHostProbe probe,
      long taskRetentionSeconds,
      ReconcileSettings reconcile,
      StartupRecovery recovery,
      PoolSettings pool,
      WorkerTuning tuning) {
    this.client = client;
    this.properties = properties;
    this.activities = activities;
    this.advertiseFiles = advertiseFiles;
    if (maxCommandWaits < 1) {
      throw new IllegalArgumentException("SANDBAR_HOST_MAX_COMMAND_WAITS must be at least 1");
    }
    this.maxCommandWaits = maxCommandWaits;
    this.probe = probe;
    this.taskRetentionSeconds = taskRetentionSeconds;
    this.reconcile = reconcile;
    this.recovery = recovery;
    this.pool = pool;
    this.tuning = tuning;
  }

  @Override
  public synchronized void start() {
    if (controlFactory == null) {
      SearchAttributeRegistration.register(client, properties.namespace());
      register();
      recovery.run();
      // The database activities run here: a write the database refuses fails, never retries.
      controlFactory =
          WorkerFactory.newInstance(
              client,
              tuning
                  .applyTo(WorkerFactoryOptions.newBuilder())
                  .setWorkerInterceptors(new DataErrorInterceptor())
                  .build());
      Worker control =
          controlFactory.newWorker(
              TaskQueues.CONTROL, tuning.applyTo(WorkerOptions.newBuilder()).build());
      control.registerWorkflowImplementationTypes(
          SandboxWorkflowImpl.class,
          ExecWorkflowImpl.class,
          TaskOutputWorkflowImpl.class,
          TaskStreamWorkflowImpl.class,
          TaskStdinWorkflowImpl.class,
          TaskPrunerWorkflowImpl.class,
          ArchiveDeletionWorkflowImpl.class,
          HostReconcileWorkflowImpl.class,
          HostPoolWorkflowImpl.class,
          SandboxMetricsWorkflowImpl.class);
      control.registerActivitiesImplementations(activities.control());
      controlFactory.start();
      startTaskPruner();
    }
    if (hostFactory == null) {
      hostFactory =
          WorkerFactory.newInstance(
              client, tuning.applyTo(WorkerFactoryOptions.newBuilder()).build());
      Worker host =
          hostFactory.newWorker(
              TaskQueues.host(properties.hostId()),
              tuning.applyTo(WorkerOptions.newBuilder()).build());
      host.registerActivitiesImplementations(activities.host());
      hostFactory
          .newWorker(
              TaskQueues.commands(properties.hostId()),
              WorkerOptions.newBuilder()
                  .setMaxConcurrentActivityExecutionSize(maxCommandWaits)
                  .setUsingVirtualThreadsOnActivityWorker(true)
                  .build())
          .registerActivitiesImplementations(activities.commandWaitQueue());
      hostFactory.start();
      heartbeats =
          Executors.newSingleThreadScheduledExecutor(
              r -> {
                Thread thread = new Thread(r, "sandbar-host-heartbeat");
                thread.setDaemon(true);
                return thread;
              });
      heartbeats.scheduleWithFixedDelay(
          this::heartbeat,
          properties.heartbeatSeconds(),
          properties.heartbeatSeconds(),
          TimeUnit.SECONDS);
      // Once this host's queue is polled: its missing sandboxes return at once.
      startReconciliation();
      startPool();
    }
    log.info(
        "worker for host {} polls {}, {} and {} (at most {} command waits; {})",
        properties.hostId(),
        TaskQueues.CONTROL,
        TaskQueues.host(properties.hostId()),
        TaskQueues.commands(properties.hostId()),
        maxCommandWaits,
        tuning);
  }

  /** Graceful stop: in-flight activities finish, then the host is marked offline. */
  @Override
  public synchronized void stop() {
    if (hostFactory != null) {
      heartbeats.shutdownNow();
      hostFactory.shutdown();
    }
    if (controlFactory != null) {
      controlFactory.shutdown();
    }
    if (hostFactory != null) {
      hostFactory.awaitTermination(20, TimeUnit.SECONDS);
      hostFactory = null;
    }
    if (controlFactory != null) {
      controlFactory.awaitTermination(20, TimeUnit.SECONDS);
      controlFactory = null;
    }
    PoolShutdown.empty(properties.hostId(), activities.pool(), activities.poolStore());
    removeUnusedNetworks();
    try {
      activities.store().markHostOffline(properties.hostId());
    } catch (RuntimeException databaseGone) {
      log.warn("could not mark host {} offline: {}", properties.hostId(), databaseGone.toString());
    }
  }

  /**
   * Networks kept for their tenants' next sandboxes are removed when nothing uses them as the
   * worker stops: nobody sweeps them while it is gone, and a throw-away installation (a test's)
   * must not leave them holding the daemon's address pools.
   */
  private void removeUnusedNetworks() {
    try {
      activities.docker().removeUnusedNetworksNow();
    } catch (RuntimeException failure) {
      log.warn(
          "could not remove the unused networks of host {}: {}",
          properties.hostId(),
          failure.toString());
    }
  }

  /**
   * Kills the host's Docker side abruptly, as a crash would: in-flight Docker activities are
   * interrupted and never report, and {@link #start} brings up a fresh one. Used by tests that
   * prove a killed worker loses nothing. The workflow side keeps running because the embedded test
   * server never moves a workflow off the sticky queue of a dead worker (a real cluster does, after
   * five seconds), so killing it in-process would strand its workflows.
   */
  public synchronized void kill() {
    if (hostFactory == null) {
      return;
    }
    heartbeats.shutdownNow();
    hostFactory.shutdownNow();
    hostFactory.awaitTermination(5, TimeUnit.SECONDS);
    hostFactory = null;
  }

  @Override
  public boolean isRunning() {
    return controlFactory != null;
  }

  private void register() {
    DockerHostProbe.HostFacts facts;
    try {
      facts = probe.probe();
    } catch (RuntimeException unreachable) {
      throw new IllegalStateException(
          "Docker is not reachable ("
              + unreachable.getMessage()
              + "): start the Docker daemon (scripts/setup.sh does on Debian) or set DOCKER_HOST",
          unreachable);
    }
    activities
        .store()
        .registerHost(
            new HostRegistration(
                properties.hostId(),
                TaskQueues.host(properties.hostId()),
                facts.cpus() * properties.cpuOvercommit(),
                facts.memoryMb(),
                properties.maxSandboxes(),
                properties.labels(),
                facts.images(),
                facts.writableLayerLimit(),
                facts.userNamespaces()));
    advertiseFiles.run();
    if (!facts.userNamespaces()) {
      log.warn(
          "\n!!! Docker on host {} runs containers WITHOUT user namespaces: root in a sandbox is"
              + " root on the host, and any kernel escape owns the machine. Start dockerd with"
              + " --userns-remap=default (scripts/setup.sh does for a daemon it starts). !!!",
          properties.hostId());
    }
  }

  /**
   * Starts the retention cron once per namespace; every worker tries, the first one wins, and an
   * already running cron is left alone.
   */
  private void startTaskPruner() {
    TaskPrunerWorkflow pruner =
        client.newWorkflowStub(
            TaskPrunerWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(TaskPrunerWorkflow.WORKFLOW_ID)
                .setTaskQueue(TaskQueues.CONTROL)
                .setCronSchedule(TaskPrunerWorkflow.CRON)
                .build());
    try {
      WorkflowClient.start(pruner::prune, taskRetentionSeconds);
    } catch (WorkflowExecutionAlreadyStarted running) {
      log.debug("task pruner already scheduled");
    }
  }

  /**
   * Starts the fleet's reconciliation cron once per namespace (every worker tries, the first one
   * wins, a running cron is left alone), then tells it this host's worker started, so the host is
   * reconciled now rather than at the next period. A failure here costs only promptness.
   */
  private void startReconciliation() {
    if (reconcile == null) {
      return;
    }
    try {
      HostReconcileWorkflow cron =
          client.newWorkflowStub(
              HostReconcileWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(HostReconcileWorkflow.WORKFLOW_ID)
                  .setTaskQueue(TaskQueues.CONTROL)
                  .setCronSchedule(HostReconcileWorkflow.CRON)
                  .setWorkflowIdReusePolicy(
                      WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                  .build());
      try {
        WorkflowClient.start(cron::reconcile, reconcile);
      } catch (WorkflowExecutionAlreadyStarted running) {
        log.debug("host reconciliation already scheduled");
      }
      client
          .newWorkflowStub(HostReconcileWorkflow.class, HostReconcileWorkflow.WORKFLOW_ID)
          .hostStarted(properties.hostId());
    } catch (RuntimeException failure) {
      log.warn(
          "could not start or signal {}: {}",
          HostReconcileWorkflow.WORKFLOW_ID,
          failure.toString());
    }
  }

  /**
   * Starts this host's pool workflow, or hands a running one this worker's settings (the size or
   * image may have changed; a size of 0 empties the pool). A failure here costs only the pool.
   */
  private void startPool() {
    String id = WorkflowIds.hostPool(properties.hostId());
    try {
      HostPoolWorkflow workflow =
          client.newWorkflowStub(
              HostPoolWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(id)
                  .setTaskQueue(TaskQueues.CONTROL)
                  .setWorkflowIdReusePolicy(
                      WorkflowIdReusePolicy.WORKFLOW_ID_REUSE_POLICY_ALLOW_DUPLICATE)
                  .build());
      try {
        WorkflowClient.start(workflow::keep, pool);
      } catch (WorkflowExecutionAlreadyStarted running) {
        client.newWorkflowStub(HostPoolWorkflow.class, id).configure(pool);
      }
    } catch (RuntimeException failure) {
      log.warn("could not start or configure {}: {}", id, failure.toString());
    }
  }

  private void heartbeat() {
    try {
      boolean reachable = probe.reachable();
      boolean known =
          activities
              .store()
              .heartbeatHost(
                  properties.hostId(), reachable, reachable ? probe.probe().images() : null);
      if (!known) {
        register();
      }
    } catch (RuntimeException failure) {
      // The next beat tries again; placement ignores this host once its heartbeat is stale.
      log.warn("heartbeat of host {} failed: {}", properties.hostId(), failure.toString());
    }
  }
}
