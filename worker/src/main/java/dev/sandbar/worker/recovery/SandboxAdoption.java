package dev.sandbar.worker.recovery;

import dev.sandbar.activities.container.DockerInventory;
import dev.sandbar.activities.container.SandboxContainer;
import dev.sandbar.store.StoredJson;
import dev.sandbar.store.recovery.RecoveryDao;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.api.enums.v1.WorkflowExecutionStatus;
import io.temporal.client.BatchRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery's main job: tells every sandbox workflow of this host what its container really
 * is, starting the workflow again from the read model if it is gone, and restarts the creation of
 * sandboxes that never got as far as placement. A container nobody claims is only logged.
 */
final class SandboxAdoption {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  /** How many workflows were started again, merely told, and containers nobody claims. */
  record Result(int adopted, int signalled, int unclaimed) {}

  private final WorkflowClient client;
  private final Jdbi jdbi;
  private final DockerInventory inventory;
  private final String hostId;

  SandboxAdoption(WorkflowClient client, Jdbi jdbi, DockerInventory inventory, String hostId) {
    this.client = client;
    this.jdbi = jdbi;
    this.inventory = inventory;
    this.hostId = hostId;
  }

  /** Adopts this host's sandboxes; each adopted workflow counts its {@code running} commands. */
  Result run(List<RecoveryDao.RunningTask> running) {
    Map<String, List<String>> runningBySandbox =
        running.stream()
            .collect(
                Collectors.groupingBy(
                    RecoveryDao.RunningTask::sandboxId,
                    Collectors.mapping(RecoveryDao.RunningTask::id, Collectors.toList())));
    // The rows first, Docker after: the host is placeable from its registration on, so a sandbox
    // created meanwhile may come to rest between the two reads; read this way round its container
    // is listed, never reported gone.
    List<RecoveryDao.LiveSandbox> live =
        jdbi.withExtension(RecoveryDao.class, dao -> dao.liveOn(hostId, true));
    Map<String, SandboxContainer> containers =
        inventory.containers().stream()
            .collect(
                Collectors.toMap(SandboxContainer::sandboxId, Function.identity(), (a, b) -> a));
    Set<String> volumes = inventory.volumeSandboxIds();
    int adopted = 0;
    int signalled = 0;
    for (RecoveryDao.LiveSandbox sandbox : live) {
      try {
        if (sandbox.hostId() == null) {
          adopted += restartCreation(sandbox) ? 1 : 0;
          continue;
        }
        if (SandboxState.fromWire(sandbox.state()).isTransient() && running(sandbox.id())) {
          // Its workflow is mid-operation (a create placed here since this host registered, or
          // one a crash interrupted): that operation's activity runs again on this worker and
          // settles the state. A report of the container as found now would be queued behind it
          // and, applied once it ended, undo it (a fresh sandbox turned missing).
          continue;
        }
        Observation observation =
            observe(containers.get(sandbox.id()), volumes.contains(sandbox.id()));
        if (adopt(sandbox, observation, runningBySandbox.getOrDefault(sandbox.id(), List.of()))) {
          adopted++;
        } else {
          signalled++;
        }
      } catch (RuntimeException e) {
        // One broken row must not keep the host from serving the others.
        log.error("recovery of sandbox {} failed: {}", sandbox.id(), e.toString());
      }
    }
    Set<String> claimed =
        live.stream().map(RecoveryDao.LiveSandbox::id).collect(Collectors.toSet());
    int unclaimed = 0;
    for (String id : containers.keySet()) {
      if (!claimed.contains(id)) {
        unclaimed++;
        log.warn("container of sandbox {} has no live sandbox; left in place", id);
      }
    }
    return new Result(adopted, signalled, unclaimed);
  }

  private Observation observe(SandboxContainer container, boolean volumeExists) {
    if (container == null) {
      return volumeExists
          ? new Observation(
              SandboxState.STOPPED, hostId, null, "container gone, data volume kept: start it")
          : new Observation(SandboxState.MISSING, hostId, null, "container and volume gone");
    }
    SandboxState state =
        switch (container.status()) {
          case RUNNING -> SandboxState.RUNNING;
          case PAUSED -> SandboxState.PAUSED;
          case CREATED, EXITED -> SandboxState.STOPPED;
          case ABSENT -> volumeExists ? SandboxState.STOPPED : SandboxState.MISSING;
        };
    return new Observation(
        state, hostId, container.containerId(), "found " + state.wire() + " at start-up");
  }

  /**
   * Signals the sandbox's workflow, starting it first if it is gone, with the state the read model
   * last recorded and the commands it shows running (re-attached next); the signal then moves it to
   * what the host really has. Returns true if a new workflow was started.
   */
  private boolean adopt(
      RecoveryDao.LiveSandbox sandbox, Observation observation, List<String> runningTasks) {
    SandboxState recorded = SandboxState.fromWire(sandbox.state());
    SandboxWorkflowInput input =
        new SandboxWorkflowInput(
            sandbox.id(),
            sandbox.tenantId(),
            spec(sandbox),
            sandbox.createdAt().toEpochMilli(),
            new SandboxWorkflowInput.Carried(
                recorded.isTransient() ? SandboxState.MISSING : recorded,
                sandbox.hostId(),
                observation.containerId() != null
                    ? observation.containerId()
                    : sandbox.containerId(),
                null,
                System.currentTimeMillis(),
                sandbox.archiveId(),
                runningTasks,
                sandbox.seq()));
    SandboxWorkflow workflow = workflow(sandbox.id());
    boolean existed = exists(sandbox.id());
    BatchRequest signalWithStart = client.newSignalWithStartRequest();
    signalWithStart.add(workflow::run, input);
    signalWithStart.add(workflow::observed, observation);
    client.signalWithStart(signalWithStart);
    return !existed;
  }

  /** A sandbox whose creation never got as far as placement: start its creation again. */
  private boolean restartCreation(RecoveryDao.LiveSandbox sandbox) {
    try {
      WorkflowClient.start(
          workflow(sandbox.id())::run,
          new SandboxWorkflowInput(
              sandbox.id(),
              sandbox.tenantId(),
              spec(sandbox),
              sandbox.createdAt().toEpochMilli(),
              null));
      return true;
    } catch (WorkflowExecutionAlreadyStarted running) {
      return false;
    }
  }

  private SandboxWorkflow workflow(String sandboxId) {
    return client.newWorkflowStub(
        SandboxWorkflow.class,
        WorkflowOptions.newBuilder()
            .setWorkflowId(SandboxWorkflow.workflowId(sandboxId))
            .setTaskQueue(TaskQueues.CONTROL)
            .build());
  }

  /** Whether the sandbox's workflow runs (a closed one is started again by {@link #adopt}). */
  private boolean running(String sandboxId) {
    try {
      return client
              .newUntypedWorkflowStub(SandboxWorkflow.workflowId(sandboxId))
              .describe()
              .getStatus()
          == WorkflowExecutionStatus.WORKFLOW_EXECUTION_STATUS_RUNNING;
    } catch (RuntimeException notFound) {
      return false;
    }
  }

  private boolean exists(String sandboxId) {
    try {
      client.newUntypedWorkflowStub(SandboxWorkflow.workflowId(sandboxId)).describe();
      return true;
    } catch (RuntimeException notFound) {
      return false;
    }
  }

  private static SandboxSpec spec(RecoveryDao.LiveSandbox sandbox) {
    try {
      return StoredJson.read(sandbox.spec(), SandboxSpec.class);
    } catch (UncheckedIOException e) {
      throw new IllegalStateException("unreadable spec of sandbox " + sandbox.id(), e);
    }
  }
}
