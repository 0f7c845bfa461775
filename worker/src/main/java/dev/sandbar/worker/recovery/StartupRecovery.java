package dev.sandbar.worker.recovery;

import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.container.DockerInventory;
import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
import io.temporal.client.WorkflowClient;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs when a worker starts, before it polls: tells every sandbox workflow of this host what its
 * container really is, and gives a workflow back to every sandbox and every running command that
 * lost its own (the embedded Temporal service keeps nothing across a restart). A Temporal client
 * procedure, not an activity: it starts and signals workflows. Deletes nothing: a container, volume
 * or archive file nobody claims is only logged or quarantined.
 *
 * <p>Its jobs run in this order: {@link ArchiveCheck}, {@link SandboxAdoption}, {@link
 * TaskReattachment}. All three log under this class's name.
 */
public final class StartupRecovery {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  /** What one run found and did. */
  public record Report(
      int adopted, int signalled, int unclaimed, int quarantined, int reattachedTasks) {}

  private final String hostId;
  private final ArchiveCheck archiveCheck;
  private final SandboxAdoption sandboxes;
  private final TaskReattachment tasks;

  public StartupRecovery(
      WorkflowClient client,
      Jdbi jdbi,
      DockerInventory inventory,
      String hostId,
      ArchiveStore archives,
      JdbiArchiveStoreActivities archiveRows) {
    this.hostId = hostId;
    this.archiveCheck = new ArchiveCheck(archives, archiveRows);
    this.sandboxes = new SandboxAdoption(client, jdbi, inventory, hostId);
    this.tasks = new TaskReattachment(client, jdbi, hostId);
  }

  public Report run() {
    int quarantined = archiveCheck.run();
    SandboxAdoption.Result adoption = sandboxes.run();
    int reattached = tasks.run();
    Report report =
        new Report(
            adoption.adopted(),
            adoption.signalled(),
            adoption.unclaimed(),
            quarantined,
            reattached);
    log.info("start-up recovery of host {}: {}", hostId, report);
    return report;
  }
}
