package dev.sandbar.activities.database;

import dev.sandbar.store.audit.AuditDao;
import dev.sandbar.store.audit.AuditEvent;
import dev.sandbar.store.host.UnclaimedContainer;
import dev.sandbar.store.host.UnclaimedContainerDao;
import dev.sandbar.store.reconcile.ReconcileDao;
import dev.sandbar.workflows.activity.ReconcileStoreActivities;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.Health;
import dev.sandbar.workflows.model.KnownSandbox;
import dev.sandbar.workflows.model.ReconcileTarget;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SystemEvent;
import dev.sandbar.workflows.model.UnclaimedReport;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/** {@link ReconcileStoreActivities} over PostgreSQL. */
public class JdbiReconcileStoreActivities implements ReconcileStoreActivities {

  private static final String SYSTEM = "system";

  private final Jdbi jdbi;

  public JdbiReconcileStoreActivities(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public List<ReconcileTarget> reconcileTargets() {
    return jdbi.withExtension(ReconcileDao.class, ReconcileDao::hosts).stream()
        .map(host -> new ReconcileTarget(host.id(), host.state()))
        .toList();
  }

  @Override
  public List<KnownSandbox> sandboxesOn(String hostId) {
    return known(jdbi.withExtension(ReconcileDao.class, dao -> dao.liveOn(hostId)));
  }

  @Override
  public List<KnownSandbox> sandboxesByIds(List<String> sandboxIds) {
    if (sandboxIds == null || sandboxIds.isEmpty()) {
      return List.of();
    }
    String[] ids = sandboxIds.toArray(String[]::new);
    return known(jdbi.withExtension(ReconcileDao.class, dao -> dao.byIds(ids)));
  }

  @Override
  public boolean markHostUnreachable(SystemEvent event) {
    return jdbi.inTransaction(
        handle -> {
          ReconcileDao dao = handle.attach(ReconcileDao.class);
          if (dao.markUnreachable(event.hostId()) == 0) {
            return false;
          }
          audit(dao, event);
          return true;
        });
  }

  @Override
  public boolean markHostReachable(SystemEvent event) {
    return jdbi.inTransaction(
        handle -> {
          ReconcileDao dao = handle.attach(ReconcileDao.class);
          if (dao.markReachable(event.hostId()) == 0) {
            return false;
          }
          audit(dao, event);
          return true;
        });
  }

  /**
   * {@inheritDoc}
   *
   * <p>A container of a known sandbox (a zombie) is also written to that sandbox's audit trail,
   * from and to its recorded state, under the event's id.
   */
  @Override
  public void recordSystemEvent(SystemEvent event) {
    jdbi.useTransaction(
        handle -> {
          audit(handle.attach(ReconcileDao.class), event);
          if (event.sandboxId() != null && event.tenantId() != null && event.sandboxSeq() != null) {
            handle
                .attach(AuditDao.class)
                .insert(
                    new AuditEvent(
                        event.eventId(),
                        event.sandboxId(),
                        event.tenantId(),
                        event.sandboxSeq(),
                        SYSTEM,
                        event.action(),
                        SandboxState.DESTROYED.wire(),
                        SandboxState.DESTROYED.wire(),
                        event.reason(),
                        "ok",
                        null,
                        Instant.ofEpochMilli(event.atMs())));
          }
        });
  }

  private static void audit(ReconcileDao dao, SystemEvent event) {
    dao.audit(event.hostId(), event.action(), event.reason(), Instant.ofEpochMilli(event.atMs()));
  }

  @Override
  public void recordUnclaimed(String hostId, List<UnclaimedReport> unclaimed) {
    List<UnclaimedContainer.Found> found =
        unclaimed.stream()
            .map(
                c ->
                    new UnclaimedContainer.Found(
                        c.containerId(),
                        new ContainerRef(c.sandboxId()).containerName(),
                        c.sandboxId(),
                        c.hasVolume()))
            .toList();
    jdbi.useExtension(UnclaimedContainerDao.class, dao -> dao.replace(hostId, found));
  }

  private static List<KnownSandbox> known(List<ReconcileDao.SandboxRow> rows) {
    return rows.stream()
        .map(
            row ->
                new KnownSandbox(
                    row.id(),
                    row.tenantId(),
                    row.hostId(),
                    SandboxState.fromWire(row.state()),
                    row.seq(),
                    row.health() == null ? null : Health.fromWire(row.health())))
        .toList();
  }
}
