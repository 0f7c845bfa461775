package dev.sandbar.store.host;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import dev.sandbar.store.testing.PostgresExtension;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class HostDaoTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String[] ANY_IMAGE = null;

  private Jdbi jdbi;
  private HostDao hosts;
  private HostRegistryDao registry;

  @BeforeEach
  void emptyTables() {
    POSTGRES.truncate(
        "sandboxes", "tenants", "api_keys", "host_events", "unclaimed_containers", "hosts");
    jdbi = POSTGRES.jdbi();
    hosts = jdbi.onDemand(HostDao.class);
    registry = jdbi.onDemand(HostRegistryDao.class);
  }

  @Test
  void aDrainedHostStaysDrainedWhenItsWorkerRegistersAgain() {
    register("host-a");
    register("host-b");
    hosts.setDraining("host-a", true, "admin", null);

    // The worker stops cleanly, then starts again (a restart, or a new version rolled out).
    registry.markOffline("host-a");
    register("host-a");

    Host host = hosts.find("host-a").orElseThrow();
    assertThat(host.state()).isEqualTo("online");
    assertThat(host.draining()).isTrue();
    assertThat(registry.candidates(60, ANY_IMAGE)).containsExactly("host-b");

    hosts.setDraining("host-a", false, "admin", null);
    register("host-a");
    assertThat(hosts.find("host-a").orElseThrow().draining()).isFalse();
    assertThat(registry.candidates(60, ANY_IMAGE)).containsExactly("host-a", "host-b");
  }

  @Test
  void aDrainingStateWrittenBeforeTheColumnSurvivesRegistration() {
    register("host-a");
    execute("update hosts set state = 'draining' where id = 'host-a'");

    register("host-a");

    Host host = hosts.find("host-a").orElseThrow();
    assertThat(host.state()).isEqualTo("online");
    assertThat(host.draining()).isTrue();
    assertThat(registry.candidates(60, ANY_IMAGE)).isEmpty();
  }

  @Test
  void drainAndUndrainAreIdempotentAndAudited() {
    register("host-a");

    assertThat(hosts.setDraining("host-a", true, "admin", "kernel upgrade"))
        .hasValueSatisfying(host -> assertThat(host.draining()).isTrue());
    assertThat(hosts.setDraining("host-a", true, "admin", "again")).isPresent();
    assertThat(hosts.setDraining("host-a", false, "admin", null))
        .hasValueSatisfying(host -> assertThat(host.draining()).isFalse());
    assertThat(hosts.setDraining("host-a", false, "admin", null)).isPresent();

    assertThat(hosts.events("host-a"))
        .extracting(HostEvent::actor, HostEvent::action, HostEvent::reason)
        .containsExactly(
            tuple("admin", "drain", "kernel upgrade"), tuple("admin", "undrain", null));
  }

  @Test
  void drainingAnUnknownHostFindsNothing() {
    assertThat(hosts.setDraining("host-nobody", true, "admin", null)).isEmpty();
    assertThat(hosts.events("host-nobody")).isEmpty();
  }

  @Test
  void sandboxesAreCountedByHostAndState() {
    register("host-a");
    register("host-b");
    execute("insert into tenants (id, name) values ('t-1', 'one')");
    sandbox("sb-1", "host-a", "running");
    sandbox("sb-2", "host-a", "running");
    sandbox("sb-3", "host-a", "paused");
    sandbox("sb-4", "host-a", "destroyed");
    sandbox("sb-5", "host-b", "stopped");

    assertThat(hosts.sandboxStates(new String[] {"host-a", "host-b"}))
        .containsExactly(
            new HostDao.StateCount("host-a", "paused", 1),
            new HostDao.StateCount("host-a", "running", 2),
            new HostDao.StateCount("host-b", "stopped", 1));
  }

  @Test
  void eachReconciliationReplacesTheHostsUnclaimedContainers() throws InterruptedException {
    register("host-a");
    register("host-b");
    UnclaimedContainerDao unclaimed = jdbi.onDemand(UnclaimedContainerDao.class);
    unclaimed.replace(
        "host-a",
        List.of(
            new UnclaimedContainer.Found("c-1", "sb-gone", "sb-gone", true),
            new UnclaimedContainer.Found("c-2", "stray", null, false)));
    unclaimed.replace("host-b", List.of(new UnclaimedContainer.Found("c-9", "x", "x", false)));
    UnclaimedContainer first = unclaimed.onHosts(new String[] {"host-a"}).getFirst();
    Thread.sleep(5);

    unclaimed.replace(
        "host-a", List.of(new UnclaimedContainer.Found("c-1", "sb-gone", "sb-gone", true)));

    List<UnclaimedContainer> now = unclaimed.onHosts(new String[] {"host-a", "host-b"});
    assertThat(now).extracting(UnclaimedContainer::containerId).containsExactly("c-1", "c-9");
    UnclaimedContainer kept = now.getFirst();
    assertThat(kept.firstSeenAt()).isEqualTo(first.firstSeenAt());
    assertThat(kept.lastSeenAt()).isAfter(first.lastSeenAt());
    assertThat(kept.hasVolume()).isTrue();
    assertThat(kept.sandboxId()).isEqualTo("sb-gone");

    unclaimed.replace("host-a", List.of());
    assertThat(unclaimed.onHosts(new String[] {"host-a"})).isEmpty();
  }

  private void register(String id) {
    registry.upsert(
        new HostRegistration(id, "sandbar-host-" + id, 4, 8192, 10, List.of(), List.of()));
  }

  private void sandbox(String id, String hostId, String state) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    insert into sandboxes (id, tenant_id, host_id, state, image, cpus, memory_mb,
                                           spec, created_at, updated_at)
                    values (:id, 't-1', :host, :state, 'img', 1, 512, '{}', now(), now())
                    """)
                .bindMap(Map.of("id", id, "host", hostId, "state", state))
                .execute());
  }

  private void execute(String sql) {
    jdbi.useHandle(handle -> handle.execute(sql));
  }
}
