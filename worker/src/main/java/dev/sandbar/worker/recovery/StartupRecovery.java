package dev.sandbar.worker.recovery;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.StoredArchive;
import dev.sandbar.activities.container.DockerInventory;
import dev.sandbar.activities.container.SandboxContainer;
import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
import dev.sandbar.store.recovery.RecoveryDao;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import io.temporal.client.WorkflowStub;
import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs when a worker starts, before it polls: tells every sandbox workflow of this host what its
 * container really is, and gives a workflow back to every sandbox that lost its own (the embedded
 * Temporal service keeps nothing across a restart). Deletes nothing: a container or volume nobody
 * claims is only logged.
 */
public final class StartupRecovery {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  /** Limit given to a command adopted after its workflow was lost: the background default. */
  static final long ADOPTED_TASK_LIMIT_SECONDS = 1800;

  private static final ObjectMapper JSON =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /** What one run found and did. */
  public record Report(
      int adopted, int signalled, int unclaimed, int quarantined, int reattachedTasks) {}

  private final WorkflowClient client;
  private final Jdbi jdbi;
  private final DockerInventory inventory;
  private final String hostId;
  private final ArchiveStore archives;
  private final JdbiArchiveStoreActivities archiveRows;

  public StartupRecovery(
      WorkflowClient client,
      Jdbi jdbi,
      DockerInventory inventory,
      String hostId,
      ArchiveStore archives,
      JdbiArchiveStoreActivities archiveRows) {
    this.client = client;
    this.jdbi = jdbi;
    this.inventory = inventory;
    this.hostId = hostId;
    this.archives = archives;
    this.archiveRows = archiveRows;
  }

  public Report run() {
    int quarantined = checkArchives();
    Map<String, SandboxContainer> containers =
        inventory.containers().stream()
            .collect(
                Collectors.toMap(SandboxContainer::sandboxId, Function.identity(), (a, b) -> a));
    Set<String> volumes = inventory.volumeSandboxIds();
    List<RecoveryDao.LiveSandbox> live =
        jdbi.withExtension(RecoveryDao.class, dao -> dao.liveOn(hostId, true));
    int adopted = 0;
    int signalled = 0;
    for (RecoveryDao.LiveSandbox sandbox : live) {
      try {
        if (sandbox.hostId() == null) {
          adopted += restartCreation(sandbox) ? 1 : 0;
          continue;
        }
        Observation observation =
            observe(containers.get(sandbox.id()), volumes.contains(sandbox.id()));
        if (adopt(sandbox, observation)) {
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
    int reattached = reattachTasks();
    Report report = new Report(adopted, signalled, unclaimed, quarantined, reattached);
    log.info("start-up recovery of host {}: {}", hostId, report);
    return report;
  }

  /**
   * Checks every archive file in this host's store against its metadata: a file whose size or
   * SHA-256 is wrong, or that no ready archive row describes, is moved into quarantine and the row
   * (if any) marked quarantined. Nothing is deleted.
   */
  private int checkArchives() {
    Map<String, ArchiveInfo> rows =
        archiveRows.readyArchives().stream()
            .collect(Collectors.toMap(ArchiveInfo::archiveId, Function.identity()));
    int quarantined = 0;
    List<StoredArchive> stored;
    try {
      stored = archives.list();
    } catch (IOException e) {
      log.error("cannot list the archive store: {}", e.toString());
      return 0;
    }
    for (StoredArchive file : stored) {
      ArchiveInfo row = rows.get(file.archiveId());
      String problem;
      try {
        problem = row == null ? "no ready archive is recorded for this file" : verify(file, row);
      } catch (IOException e) {
        problem = "unreadable: " + e.getMessage();
      }
      if (problem == null) {
        continue;
      }
      try {
        archives.quarantine(file.archiveId(), problem);
        if (row != null) {
          archiveRows.quarantine(file.archiveId(), problem);
        }
        quarantined++;
        log.warn("archive {} quarantined: {}", file.archiveId(), problem);
      } catch (IOException e) {
        log.error("could not quarantine archive {}: {}", file.archiveId(), e.toString());
      }
    }
    return quarantined;
  }

  private String verify(StoredArchive file, ArchiveInfo row) throws IOException {
    if (file.sizeBytes() != row.sizeBytes()) {
      return "size " + file.sizeBytes() + " but " + row.sizeBytes() + " recorded";
    }
    String sha = archives.sha256(file.archiveId());
    return sha.equalsIgnoreCase(row.sha256()) ? null : "checksum mismatch";
  }

  /**
   * Gives every command still recorded as running a workflow again if it lost its own. The new
   * workflow's start finds the command's task directory and does not run it again (the wrapper
   * creates that directory atomically), and its wait re-attaches through the pid, log and exit
   * files: the command keeps running, once, and its end is recorded. Environment and limit are not
   * kept in the read model, so an adopted command gets the background limit.
   */
  private int reattachTasks() {
    int reattached = 0;
    for (RecoveryDao.RunningTask task :
        jdbi.withExtension(RecoveryDao.class, dao -> dao.runningTasksOn(hostId))) {
      ExecWorkflow workflow =
          client.newWorkflowStub(
              ExecWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(ExecWorkflow.workflowId(task.sandboxId(), task.id()))
                  .setTaskQueue(TaskQueues.CONTROL)
                  .build());
      ExecRequest request =
          new ExecRequest(
              task.id(),
              task.command(),
              task.cwd(),
              Map.of(),
              ADOPTED_TASK_LIMIT_SECONDS,
              task.sessionId(),
              task.description(),
              task.background(),
              0);
      try {
        WorkflowClient.start(
            workflow::run, new ExecInput(task.sandboxId(), task.tenantId(), hostId, request));
        reattached++;
      } catch (WorkflowExecutionAlreadyStarted alive) {
        // Its workflow survived (a real cluster): it is still waiting on the command.
      } catch (RuntimeException e) {
        log.error("could not re-attach task {}: {}", task.id(), e.toString());
      }
    }
    return reattached;
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
   * last recorded; the signal then moves it to what the host really has. Returns true if a new
   * workflow was started.
   */
  private boolean adopt(RecoveryDao.LiveSandbox sandbox, Observation observation) {
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
                List.of(),
                sandbox.seq()));
    WorkflowStub stub =
        client.newUntypedWorkflowStub(
            "SandboxWorkflow",
            WorkflowOptions.newBuilder()
                .setWorkflowId(SandboxWorkflow.workflowId(sandbox.id()))
                .setTaskQueue(TaskQueues.CONTROL)
                .build());
    boolean existed = exists(sandbox.id());
    stub.signalWithStart("observed", new Object[] {observation}, new Object[] {input});
    return !existed;
  }

  /** A sandbox whose creation never got as far as placement: start its creation again. */
  private boolean restartCreation(RecoveryDao.LiveSandbox sandbox) {
    SandboxWorkflow workflow =
        client.newWorkflowStub(
            SandboxWorkflow.class,
            WorkflowOptions.newBuilder()
                .setWorkflowId(SandboxWorkflow.workflowId(sandbox.id()))
                .setTaskQueue(TaskQueues.CONTROL)
                .build());
    try {
      WorkflowClient.start(
          workflow::run,
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
      return JSON.readValue(sandbox.spec(), SandboxSpec.class);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException("unreadable spec of sandbox " + sandbox.id(), e);
    }
  }
}
