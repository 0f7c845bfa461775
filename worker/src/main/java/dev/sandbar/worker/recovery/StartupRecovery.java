package dev.sandbar.worker.recovery;

import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.container.DockerInventory;
import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
import dev.sandbar.store.recovery.RecoveryDao;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs when a worker starts, before it polls: tells every sandbox workflow of this host what its
 * container really is, and gives a workflow back to every sandbox and every running command that
 * lost its own (the embedded Temporal service keeps nothing across a restart). A Temporal client
 * procedure, not an activity: it starts and signals workflows. A container, volume or archive file
 * nobody claims is only logged or quarantined; it removes only the files of archives their owners
 * deleted and quarantined archives past their retention, each audited on the host.
 *
 * <p>Its jobs run in this order: {@link ArchiveCheck}, {@link SandboxAdoption}, {@link
 * TaskReattachment}. All three log under this class's name.
 */
public final class StartupRecovery {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  /** What one run found and did. */
  public record Report(
      int adopted,
      int signalled,
      int unclaimed,
      int quarantined,
      int removedDeletedArchives,
      int removedFromQuarantine,
      int reattachedTasks) {}

  private final String hostId;
  private final ArchiveCheck archiveCheck;
  private final SandboxAdoption sandboxes;
  private final TaskReattachment tasks;
  private final Jdbi jdbi;

  public StartupRecovery(
      WorkflowClient client,
      Jdbi jdbi,
      DockerInventory inventory,
      String hostId,
      ArchiveStore archives,
      JdbiArchiveStoreActivities archiveRows,
      Duration quarantineRetention) {
    this.hostId = hostId;
    this.archiveCheck =
        new ArchiveCheck(
            archives,
            archiveRows,
            jdbi,
            hostId,
            new QuarantineRetention(archives, jdbi, hostId, quarantineRetention, Instant::now));
    this.sandboxes = new SandboxAdoption(client, jdbi, inventory, hostId);
    this.jdbi = jdbi;
    this.tasks = new TaskReattachment(client, hostId);
  }

  public Report run() {
    ArchiveCheck.Result archiveResult = archiveCheck.run();
    // Read once for both: the adopted sandbox workflows must count exactly the commands that
    // are then re-attached as running, or idle would pause them and stop would not kill them.
    List<RecoveryDao.RunningTask> running =
        jdbi.withExtension(RecoveryDao.class, dao -> dao.runningTasksOn(hostId));
    SandboxAdoption.Result adoption = sandboxes.run(running);
    int reattached = tasks.run(running);
    Report report =
        new Report(
            adoption.adopted(),
            adoption.signalled(),
            adoption.unclaimed(),
            archiveResult.quarantined(),
            archiveResult.removedDeleted(),
            archiveResult.removedFromQuarantine(),
            reattached);
    log.info("start-up recovery of host {}: {}", hostId, report);
    return report;
  }
}
