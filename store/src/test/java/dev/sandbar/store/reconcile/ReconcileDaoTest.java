package dev.sandbar.store.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.store.testing.PostgresExtension;
import java.time.Instant;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ReconcileDaoTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private final Jdbi jdbi = POSTGRES.jdbi();

  @BeforeEach
  void rows() {
    POSTGRES.truncate(
        "host_events", "unclaimed_containers", "sandboxes", "hosts", "api_keys", "tenants");
    jdbi.useHandle(
        handle -> {
          handle.execute("insert into tenants (id, name) values ('t1', 't1')");
          for (String[] host :
              new String[][] {{"h1", "online"}, {"h2", "offline"}, {"h3", "unreachable"}}) {
            handle.execute(
                """
                insert into hosts (id, task_queue, state, cpus, memory_mb, max_sandboxes,
                                   last_heartbeat_at, started_at)
                values (?, 'q', ?, 4, 4096, 10, now(), now())
                """,
                host[0],
                host[1]);
          }
          sandbox(handle, "s1", "h1", "running", 3);
          sandbox(handle, "s2", "h1", "destroyed", 9);
          sandbox(handle, "s3", "h2", "stopped", 4);
        });
  }

  private static void sandbox(
      org.jdbi.v3.core.Handle handle, String id, String host, String state, long seq) {
    handle.execute(
        """
        insert into sandboxes (id, tenant_id, host_id, state, image, cpus, memory_mb, spec, seq,
                               created_at, updated_at)
        values (?, 't1', ?, ?, 'img', 1, 256, '{}', ?, now(), now())
        """,
        id,
        host,
        state,
        seq);
  }

  @Test
  void listsHostsAndTheLiveSandboxesOfOneHostInOneQuery() {
    ReconcileDao dao = jdbi.onDemand(ReconcileDao.class);

    assertThat(dao.hosts())
        .containsExactly(
            new ReconcileDao.HostRow("h1", "online"),
            new ReconcileDao.HostRow("h2", "offline"),
            new ReconcileDao.HostRow("h3", "unreachable"));
    assertThat(dao.liveOn("h1"))
        .containsExactly(new ReconcileDao.SandboxRow("s1", "t1", "h1", "running", 3, null));
    assertThat(dao.byIds(new String[] {"s2", "s3", "unknown"}))
        .extracting(ReconcileDao.SandboxRow::id, ReconcileDao.SandboxRow::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s2", "destroyed"),
            org.assertj.core.groups.Tuple.tuple("s3", "stopped"));
  }

  @Test
  void marksUnreachableAndBackKeepingADrain() {
    ReconcileDao dao = jdbi.onDemand(ReconcileDao.class);
    jdbi.useHandle(handle -> handle.execute("update hosts set draining = true where id = 'h1'"));

    assertThat(dao.markUnreachable("h1")).isEqualTo(1);
    assertThat(dao.markUnreachable("h1")).isZero();
    assertThat(dao.markUnreachable("h2")).isEqualTo(1);
    assertThat(dao.markReachable("h1")).isEqualTo(1);
    assertThat(dao.markReachable("h1")).isZero();
    assertThat(dao.hosts())
        .extracting(ReconcileDao.HostRow::state)
        .containsExactly("online", "unreachable", "unreachable");
    boolean draining =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery("select draining from hosts where id = 'h1'")
                    .mapTo(Boolean.class)
                    .one());
    assertThat(draining).isTrue();
  }

  @Test
  void writesToTheHostsAuditTrailAsSystem() {
    ReconcileDao dao = jdbi.onDemand(ReconcileDao.class);

    dao.audit("h1", "host-unreachable", "listing timed out", Instant.parse("2026-01-01T00:00:00Z"));

    assertThat(jdbi.onDemand(dev.sandbar.store.host.HostDao.class).events("h1"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.actor()).isEqualTo("system");
              assertThat(event.action()).isEqualTo("host-unreachable");
              assertThat(event.reason()).isEqualTo("listing timed out");
            });
  }
}
