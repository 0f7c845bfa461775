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
    POSTGRES.truncate("host_events", "sandboxes", "hosts", "tenants cascade");
    jdbi.useHandle(
        handle -> {
          handle.execute("insert into tenants (id, name) values ('t1', 't1')");
          for (String[] host :
              new String[][] {{"h1", "online"}, {"h2", "draining"}, {"h3", "unreachable"}}) {
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
            new ReconcileDao.HostRow("h2", "draining"),
            new ReconcileDao.HostRow("h3", "unreachable"));
    assertThat(dao.liveOn("h1"))
        .containsExactly(new ReconcileDao.SandboxRow("s1", "t1", "h1", "running", 3));
    assertThat(dao.byIds(new String[] {"s2", "s3", "unknown"}))
        .extracting(ReconcileDao.SandboxRow::id, ReconcileDao.SandboxRow::state)
        .containsExactly(
            org.assertj.core.groups.Tuple.tuple("s2", "destroyed"),
            org.assertj.core.groups.Tuple.tuple("s3", "stopped"));
  }

  @Test
  void marksUnreachableAndBackKeepingADrain() {
    ReconcileDao dao = jdbi.onDemand(ReconcileDao.class);

    assertThat(dao.markUnreachable("h1")).isEqualTo(1);
    assertThat(dao.markUnreachable("h1")).isZero();
    assertThat(dao.markUnreachable("h2")).isZero();
    assertThat(dao.markReachable("h1")).isEqualTo(1);
    assertThat(dao.markReachable("h2")).isZero();
    assertThat(dao.hosts())
        .extracting(ReconcileDao.HostRow::state)
        .containsExactly("online", "draining", "unreachable");
  }

  @Test
  void writesAnEventOnceUnderItsId() {
    ReconcileDao dao = jdbi.onDemand(ReconcileDao.class);
    ReconcileDao.HostEvent event =
        new ReconcileDao.HostEvent(
            "e1",
            "h1",
            null,
            "system",
            "host-unreachable",
            "listing timed out",
            Instant.parse("2026-01-01T00:00:00Z"));

    assertThat(dao.insertEvent(event)).isEqualTo(1);
    assertThat(dao.insertEvent(event)).isZero();
    assertThat(dao.eventsOf("h1")).containsExactly(event);
  }
}
