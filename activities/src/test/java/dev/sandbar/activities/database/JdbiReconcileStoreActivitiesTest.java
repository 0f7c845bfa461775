package dev.sandbar.activities.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.store.audit.AuditDao;
import dev.sandbar.store.audit.AuditEvent;
import dev.sandbar.store.host.HostDao;
import dev.sandbar.store.host.HostEvent;
import dev.sandbar.store.host.UnclaimedContainerDao;
import dev.sandbar.store.testing.PostgresExtension;
import dev.sandbar.workflows.model.KnownSandbox;
import dev.sandbar.workflows.model.ReconcileTarget;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SystemEvent;
import dev.sandbar.workflows.model.UnclaimedReport;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbiReconcileStoreActivitiesTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Jdbi jdbi = POSTGRES.jdbi();
  private final JdbiReconcileStoreActivities store = new JdbiReconcileStoreActivities(jdbi);

  @BeforeEach
  void rows() {
    POSTGRES.truncate(
        "host_events",
        "unclaimed_containers",
        "audit_events",
        "sandboxes",
        "hosts",
        "api_keys",
        "tenants");
    jdbi.useHandle(
        handle -> {
          handle.execute("insert into tenants (id, name) values ('t1', 'Tenant one')");
          handle.execute(
              """
              insert into hosts (id, task_queue, state, cpus, memory_mb, max_sandboxes,
                                 last_heartbeat_at, started_at)
              values ('h1', 'sandbar-host-h1', 'online', 4, 4096, 10, now(), now())
              """);
          for (String[] row :
              new String[][] {
                {"s1", "running", "3"}, {"s2", "missing", "5"}, {"s3", "destroyed", "9"}
              }) {
            handle.execute(
                """
                insert into sandboxes (id, tenant_id, host_id, state, image, cpus, memory_mb,
                                       spec, seq, created_at, updated_at)
                values (?, 't1', 'h1', ?, 'img', 1, 256, '{}', ?, now(), now())
                """,
                row[0],
                row[1],
                Long.parseLong(row[2]));
          }
        });
  }

  @Test
  void readsTheHostsAndWhatTheReadModelHasOnOne() {
    assertThat(store.reconcileTargets()).containsExactly(new ReconcileTarget("h1", "online"));
    assertThat(store.sandboxesOn("h1"))
        .containsExactly(
            new KnownSandbox("s1", "t1", "h1", SandboxState.RUNNING, 3),
            new KnownSandbox("s2", "t1", "h1", SandboxState.MISSING, 5));
    assertThat(store.sandboxesByIds(List.of("s3", "nobody")))
        .containsExactly(new KnownSandbox("s3", "t1", "h1", SandboxState.DESTROYED, 9));
    assertThat(store.sandboxesByIds(List.of())).isEmpty();
  }

  @Test
  void marksTheHostUnreachableAndBackOnceEachWithAnEvent() {
    assertThat(store.markHostUnreachable(event("e1", SystemEvent.HOST_UNREACHABLE, null))).isTrue();
    assertThat(store.markHostUnreachable(event("e2", SystemEvent.HOST_UNREACHABLE, null)))
        .isFalse();
    assertThat(store.reconcileTargets()).containsExactly(new ReconcileTarget("h1", "unreachable"));
    assertThat(store.markHostReachable(event("e3", SystemEvent.HOST_REACHABLE, null))).isTrue();

    assertThat(hostEvents())
        .extracting(HostEvent::action, HostEvent::actor)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple(SystemEvent.HOST_UNREACHABLE, "system"),
            org.assertj.core.groups.Tuple.tuple(SystemEvent.HOST_REACHABLE, "system"));
  }

  @Test
  void aRemovedZombieIsAlsoInItsSandboxesAuditTrail() {
    SystemEvent zombie =
        new SystemEvent(
            "e4", "h1", "s3", "t1", 9L, SystemEvent.REMOVE_ZOMBIE, "zombie removed", 1_000);

    store.recordSystemEvent(zombie);
    store.recordSystemEvent(zombie);

    List<AuditEvent> trail = jdbi.onDemand(AuditDao.class).forSandbox("s3");
    assertThat(trail).hasSize(1);
    assertThat(trail.getFirst().actor()).isEqualTo("system");
    assertThat(trail.getFirst().action()).isEqualTo(SystemEvent.REMOVE_ZOMBIE);
    assertThat(trail.getFirst().reason()).isEqualTo("zombie removed");
    // The host trail (main's host_events) has no event id: a retried write may repeat there.
    assertThat(hostEvents()).extracting(HostEvent::action).contains(SystemEvent.REMOVE_ZOMBIE);
  }

  private static List<HostEvent> hostEvents() {
    return jdbi.onDemand(HostDao.class).events("h1");
  }

  @Test
  void theUnclaimedListIsReplacedEachPass() {
    store.recordUnclaimed(
        "h1",
        List.of(new UnclaimedReport("c1", "x1", true), new UnclaimedReport("c2", "x2", false)));
    store.recordUnclaimed("h1", List.of(new UnclaimedReport("c1", "x1", true)));

    assertThat(jdbi.onDemand(UnclaimedContainerDao.class).onHosts(new String[] {"h1"}))
        .singleElement()
        .satisfies(
            c -> {
              assertThat(c.containerId()).isEqualTo("c1");
              assertThat(c.name()).isEqualTo("sandbar-x1");
              assertThat(c.hasVolume()).isTrue();
            });
  }

  private static SystemEvent event(String id, String action, String sandboxId) {
    return new SystemEvent(id, "h1", sandboxId, null, null, action, "because", 1_000);
  }
}
