package dev.sandbar.activities.database;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sandbar.store.audit.AuditDao;
import dev.sandbar.store.audit.AuditEvent;
import dev.sandbar.store.host.Host;
import dev.sandbar.store.host.HostDao;
import dev.sandbar.store.host.HostRegistration;
import dev.sandbar.store.host.HostRegistryDao;
import dev.sandbar.store.sandbox.SandboxStatus;
import dev.sandbar.store.sandbox.SandboxStatusDao;
import dev.sandbar.store.testing.PostgresExtension;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.Relocation;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxLifetime;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.Transition;
import io.temporal.failure.ApplicationFailure;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class JdbiStoreActivitiesTest {

  private static final String TENANT = OneTenant.TENANT;
  private static final String IMAGE = "sandbar-base:latest";

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Jdbi jdbi = POSTGRES.jdbi();

  /**
   * Requests equal to the limits (fractions of 1), so the capacity tests below can count limits;
   * the default fractions have their own tests.
   */
  private static final JdbiStoreActivities store = new JdbiStoreActivities(jdbi, 1.0, 1.0);

  @BeforeEach
  void emptyTables() {
    OneTenant.resetTables(POSTGRES);
  }

  // --- recordTransition ---------------------------------------------------------------------

  @Test
  void transitionUpdatesTheRowAndWritesOneAuditEvent() {
    insertSandbox("sb-1", 1.0, 512, "creating", null);
    long at = Instant.parse("2025-01-02T03:04:05Z").toEpochMilli();

    store.recordTransition(
        new Transition(
            "ev-1",
            3,
            "sb-1",
            TENANT,
            "host-a",
            SandboxState.STARTING,
            SandboxState.RUNNING,
            "container-1",
            null,
            Actor.USER,
            "start",
            "asked by user",
            "ok",
            at,
            at - 1000,
            "archive-9"));

    SandboxStatus row = jdbi.onDemand(SandboxStatusDao.class).find("sb-1").orElseThrow();
    assertThat(row)
        .isEqualTo(
            new SandboxStatus(
                "sb-1",
                "running",
                "host-a",
                "container-1",
                null,
                3,
                "archive-9",
                Instant.ofEpochMilli(at),
                Instant.ofEpochMilli(at - 1000)));
    assertThat(jdbi.onDemand(AuditDao.class).forSandbox("sb-1"))
        .containsExactly(
            new AuditEvent(
                "ev-1",
                "sb-1",
                TENANT,
                3,
                "user",
                "start",
                "starting",
                "running",
                "asked by user",
                "ok",
                null,
                Instant.ofEpochMilli(at)));
  }

  @Test
  void replayingATransitionWritesOneEvent() {
    insertSandbox("sb-1", 1.0, 512, "creating", null);
    Transition stop = transition("ev-1", 2, "sb-1", SandboxState.RUNNING, SandboxState.STOPPED);

    store.recordTransition(stop);
    store.recordTransition(stop);

    assertThat(jdbi.onDemand(AuditDao.class).forSandbox("sb-1"))
        .extracting(AuditEvent::id)
        .containsExactly("ev-1");
    assertThat(jdbi.onDemand(SandboxStatusDao.class).find("sb-1").orElseThrow().state())
        .isEqualTo("stopped");
  }

  @Test
  void lowerSeqNeverOverwritesHigherSeq() {
    insertSandbox("sb-1", 1.0, 512, "creating", null);

    store.recordTransition(
        transition("ev-5", 5, "sb-1", SandboxState.RUNNING, SandboxState.PAUSED));
    store.recordTransition(
        transition("ev-4", 4, "sb-1", SandboxState.STARTING, SandboxState.RUNNING));

    SandboxStatus row = jdbi.onDemand(SandboxStatusDao.class).find("sb-1").orElseThrow();
    assertThat(row.state()).isEqualTo("paused");
    assertThat(row.seq()).isEqualTo(5);
    // The late write is still history: the audit log keeps both.
    assertThat(jdbi.onDemand(AuditDao.class).forSandbox("sb-1"))
        .extracting(AuditEvent::id)
        .containsExactly("ev-4", "ev-5");
  }

  @Test
  void transitionForALostRowOnlyWritesTheAuditEvent() {
    store.recordTransition(
        transition("ev-1", 1, "sb-gone", SandboxState.MISSING, SandboxState.RUNNING));

    assertThat(jdbi.onDemand(SandboxStatusDao.class).find("sb-gone")).isEmpty();
    assertThat(jdbi.onDemand(AuditDao.class).forSandbox("sb-gone"))
        .singleElement()
        .satisfies(
            event -> {
              assertThat(event.actor()).isEqualTo("system");
              assertThat(event.toState()).isEqualTo("running");
            });
  }

  @Test
  void lateTransitionWrittenBeforePlacementDoesNotUnplaceTheSandbox() {
    registerHost("host-a", 4, 4096, 10);
    insertSandbox("sb-1", 1.0, 512, "creating", null);
    String host = store.placeSandbox(placement("sb-1", 1.0, 512));

    // The workflow wrote "creating" (no host yet) asynchronously; it lands after placement.
    store.recordTransition(transition("ev-1", 1, "sb-1", null, SandboxState.CREATING));

    SandboxStatus row = jdbi.onDemand(SandboxStatusDao.class).find("sb-1").orElseThrow();
    assertThat(row.seq()).isEqualTo(1);
    assertThat(row.hostId()).isEqualTo(host);
  }

  // --- recordLifetime -----------------------------------------------------------------------

  @Test
  void aLifetimeIsWrittenIntoTheStoredSpecAndAgainChangesNothing() {
    insertSandbox("sb-1", 1.0, 512, "running", "host-a");
    jdbi.useHandle(
        handle ->
            handle.execute(
                "update sandboxes set spec = cast(? as jsonb) where id = 'sb-1'",
                "{\"ttlSeconds\": 600, \"image\": \"sandbar-base:latest\"}"));

    store.recordLifetime(new SandboxLifetime("sb-1", 1830));
    store.recordLifetime(new SandboxLifetime("sb-1", 1830));

    String spec =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery("select spec::text from sandboxes where id = 'sb-1'")
                    .mapTo(String.class)
                    .one());
    assertThat(spec)
        .contains("\"ttlSeconds\": 1830")
        .contains("\"image\": \"sandbar-base:latest\"");
  }

  // --- placeSandbox -------------------------------------------------------------------------

  @Test
  void placementPicksAHostWithRoomAndWritesItToTheRow() {
    registerHost("host-small", 1, 1024, 10);
    registerHost("host-big", 8, 16384, 10);
    insertSandbox("sb-1", 2.0, 2048, "creating", null);

    String host = store.placeSandbox(placement("sb-1", 2.0, 2048));

    assertThat(host).isEqualTo("host-big");
    assertThat(jdbi.onDemand(SandboxStatusDao.class).find("sb-1").orElseThrow().hostId())
        .isEqualTo("host-big");
  }

  @Test
  void placementHonoursLabels() {
    registerHost("host-plain", 8, 16384, 10);
    store.registerHost(
        new HostRegistration(
            "host-gpu", "q-gpu", 2, 2048, 10, List.of("gpu", "ssd"), List.of(IMAGE)));
    insertSandbox("sb-1", 1.0, 512, "creating", null);
    insertSandbox("sb-2", 1.0, 512, "creating", null);

    String gpuHost =
        store.placeSandbox(
            new Placement("sb-1", new Resources(1.0, 512, 64), List.of("gpu"), IMAGE));
    // The emptier host wins when no label is asked for.
    String anyHost =
        store.placeSandbox(new Placement("sb-2", new Resources(1.0, 512, 64), null, IMAGE));

    assertThat(gpuHost).isEqualTo("host-gpu");
    assertThat(anyHost).isEqualTo("host-plain");
    insertSandbox("sb-3", 1.0, 512, "creating", null);
    assertThatThrownBy(
            () ->
                store.placeSandbox(
                    new Placement(
                        "sb-3", new Resources(1.0, 512, 64), List.of("gpu", "tpu"), IMAGE)))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> assertThat(failure.getType()).isEqualTo("NO_HOST_CAPACITY"));
  }

  @Test
  void placementOnlyChoosesAHostThatHasTheImage() {
    store.registerHost(
        new HostRegistration("host-big", "q-big", 8, 16384, 10, List.of(), List.of("other:1")));
    store.registerHost(
        new HostRegistration(
            "host-small", "q-small", 2, 2048, 10, List.of(), List.of(IMAGE, "busybox:latest")));
    insertSandbox("sb-1", 1.0, 512, "creating", null);
    insertSandbox("sb-2", 1.0, 512, "creating", null);
    insertSandbox("sb-3", 1.0, 512, "creating", null);
    insertSandbox("sb-4", 1.0, 512, "creating", null);

    // The emptier host lacks the image, so the fuller one that has it wins.
    assertThat(store.placeSandbox(placement("sb-1", 1.0, 512))).isEqualTo("host-small");
    // Docker reads a reference without a tag as its latest tag.
    assertThat(
            store.placeSandbox(
                new Placement("sb-2", new Resources(1.0, 512, 64), List.of(), "busybox")))
        .isEqualTo("host-small");
    assertNoCapacity(new Placement("sb-3", new Resources(1.0, 512, 64), List.of(), "missing:2"));
    // Without an image (a sandbox recovered with no spec) any host will do.
    assertThat(
            store.placeSandbox(new Placement("sb-3", new Resources(1.0, 512, 64), List.of(), null)))
        .isEqualTo("host-big");

    // An image loaded after start-up is reported by the next heartbeat.
    store.heartbeatHost("host-big", true, List.of("other:1", "missing:2"));
    assertThat(
            store.placeSandbox(
                new Placement("sb-4", new Resources(1.0, 512, 64), List.of(), "missing:2")))
        .isEqualTo("host-big");
  }

  @Test
  void placementPrefersTheLeastLoadedHost() {
    registerHost("host-a", 4, 4096, 10);
    registerHost("host-b", 4, 4096, 10);
    insertSandbox("existing", 2.0, 512, "running", "host-a");
    insertSandbox("sb-1", 1.0, 512, "creating", null);

    assertThat(store.placeSandbox(placement("sb-1", 1.0, 512))).isEqualTo("host-b");
  }

  @Test
  void placementIsSticky() {
    registerHost("host-a", 4, 4096, 10);
    registerHost("host-b", 4, 4096, 10);
    insertSandbox("sb-1", 1.0, 512, "creating", null);

    String first = store.placeSandbox(placement("sb-1", 1.0, 512));
    // Load the chosen host so a fresh choice would pick the other one.
    insertSandbox("other", 3.0, 512, "running", first);
    String second = store.placeSandbox(placement("sb-1", 1.0, 512));

    assertThat(second).isEqualTo(first);
  }

  @Test
  void relocationChoosesAnotherHostAndSticksToIt() {
    registerHost("host-a", 8, 16384, 10);
    registerHost("host-b", 2, 2048, 10);
    registerHost("host-c", 2, 2048, 10);
    insertSandbox("sb-1", 1.0, 512, "running", "host-a");
    insertSandbox("other", 1.0, 512, "running", "host-b");
    Relocation relocation = new Relocation(placement("sb-1", 1.0, 512), "host-a");

    // The sandbox leaves host-a; of the others, host-c is the emptier.
    assertThat(store.relocateSandbox(relocation)).isEqualTo("host-c");
    assertThat(queryHostOf("sb-1")).isEqualTo("host-c");
    // A retry after a lost answer finds the host already assigned.
    insertSandbox("more", 1.5, 512, "running", "host-c");
    assertThat(store.relocateSandbox(relocation)).isEqualTo("host-c");
  }

  @Test
  void relocationWithNoOtherHostFailsWithNoHostCapacity() {
    registerHost("host-a", 8, 16384, 10);
    insertSandbox("sb-1", 1.0, 512, "running", "host-a");

    assertThatThrownBy(
            () -> store.relocateSandbox(new Relocation(placement("sb-1", 1.0, 512), "host-a")))
        .isInstanceOfSatisfying(
            ApplicationFailure.class,
            failure -> {
              assertThat(failure.getType()).isEqualTo(ErrorType.NO_HOST_CAPACITY.name());
              assertThat(failure.getOriginalMessage()).contains("other than host-a");
            });
    assertThat(queryHostOf("sb-1")).isEqualTo("host-a");
  }

  private static String queryHostOf(String sandboxId) {
    return jdbi.withHandle(
        handle ->
            handle
                .createQuery("select host_id from sandboxes where id = :id")
                .bind("id", sandboxId)
                .mapTo(String.class)
                .one());
  }

  @Test
  void fullHostFailsWithNoHostCapacity() {
    registerHost("host-a", 2, 2048, 2);
    insertSandbox("cpu-hog", 1.5, 256, "running", "host-a");
    insertSandbox("sb-cpu", 1.0, 256, "creating", null);

    assertNoCapacity(placement("sb-cpu", 1.0, 256));

    execute("update sandboxes set cpus = 0.5 where id = 'cpu-hog'");
    insertSandbox("stopped-one", 0.5, 256, "stopped", "host-a");
    // Two non-destroyed sandboxes fill max_sandboxes = 2 even though CPU and memory are free.
    assertNoCapacity(placement("sb-cpu", 0.5, 256));

    execute("update sandboxes set state = 'destroyed' where id = 'cpu-hog'");
    // A destroyed sandbox frees its share; memory is now the limit.
    assertNoCapacity(placement("sb-cpu", 0.5, 4096));
    assertThat(store.placeSandbox(placement("sb-cpu", 0.5, 1792))).isEqualTo("host-a");
  }

  @Test
  void staleHeartbeatHostIsNotChosen() {
    registerHost("host-stale", 8, 16384, 10);
    registerHost("host-fresh", 1, 1024, 10);
    execute(
        "update hosts set last_heartbeat_at = now() - interval '61 seconds'"
            + " where id = 'host-stale'");
    insertSandbox("sb-1", 1.0, 512, "creating", null);

    assertThat(store.placeSandbox(placement("sb-1", 1.0, 512))).isEqualTo("host-fresh");

    insertSandbox("sb-2", 1.0, 512, "creating", null);
    assertNoCapacity(placement("sb-2", 1.0, 512));

    // A heartbeat brings it back into placement.
    assertThat(store.heartbeatHost("host-stale", true, null)).isTrue();
    assertThat(store.placeSandbox(placement("sb-2", 1.0, 512))).isEqualTo("host-stale");
  }

  @Test
  void drainingHostIsNotChosen() {
    registerHost("host-draining", 8, 16384, 10);
    registerHost("host-online", 1, 1024, 10);
    execute("update hosts set state = 'draining' where id = 'host-draining'");
    insertSandbox("sb-1", 1.0, 512, "creating", null);
    insertSandbox("sb-2", 1.0, 512, "creating", null);

    assertThat(store.placeSandbox(placement("sb-1", 1.0, 512))).isEqualTo("host-online");
    assertNoCapacity(placement("sb-2", 1.0, 512));
  }

  @Test
  void offlineHostAndHostWithoutDockerAreNotChosen() {
    registerHost("host-offline", 8, 16384, 10);
    registerHost("host-no-docker", 8, 16384, 10);
    store.markHostOffline("host-offline");
    store.heartbeatHost("host-no-docker", false, null);
    insertSandbox("sb-1", 1.0, 512, "creating", null);

    assertNoCapacity(placement("sb-1", 1.0, 512));
  }

  @Test
  void placementWithoutASandboxRowStillChoosesAHost() {
    registerHost("host-a", 4, 4096, 10);

    assertThat(store.placeSandbox(placement("sb-recovered", 1.0, 512))).isEqualTo("host-a");
  }

  @Test
  void concurrentPlacementsNeverOverbookAHost() throws Exception {
    registerHost("host-a", 3, 65536, 100);
    int attempts = 8;
    for (int i = 0; i < attempts; i++) {
      insertSandbox("sb-" + i, 1.0, 256, "creating", null);
    }
    ExecutorService pool = Executors.newFixedThreadPool(attempts);
    CountDownLatch go = new CountDownLatch(1);
    List<Future<String>> results = new ArrayList<>();
    try {
      for (int i = 0; i < attempts; i++) {
        String sandboxId = "sb-" + i;
        Callable<String> place =
            () -> {
              go.await();
              try {
                return store.placeSandbox(placement(sandboxId, 1.0, 256));
              } catch (ApplicationFailure failure) {
                return failure.getType();
              }
            };
        results.add(pool.submit(place));
      }
      go.countDown();
      List<String> outcomes = new ArrayList<>();
      for (Future<String> result : results) {
        outcomes.add(result.get(60, TimeUnit.SECONDS));
      }

      assertThat(outcomes).filteredOn("host-a"::equals).hasSize(3);
      assertThat(outcomes)
          .filteredOn(ErrorType.NO_HOST_CAPACITY.name()::equals)
          .hasSize(attempts - 3);
    } finally {
      pool.shutdownNow();
    }
  }

  // --- host bookkeeping ---------------------------------------------------------------------

  @Test
  void registeredHostIsOnlineWithItsCapacityLabelsAndImages() {
    store.registerHost(
        new HostRegistration("host-a", "q-a", 4, 8192, 20, List.of("gpu"), List.of("old:1")));
    store.markHostOffline("host-a");
    store.registerHost(
        new HostRegistration(
            "host-a", "q-a2", 6, 4096, 5, List.of("ssd", "gpu"), List.of(IMAGE, "new:2")));

    Host host = jdbi.onDemand(HostRegistryDao.class).find("host-a").orElseThrow();
    assertThat(host.state()).isEqualTo("online");
    assertThat(host.taskQueue()).isEqualTo("q-a2");
    assertThat(host.cpus()).isEqualTo(6);
    assertThat(host.memoryMb()).isEqualTo(4096);
    assertThat(host.maxSandboxes()).isEqualTo(5);
    assertThat(host.labels()).containsExactly("ssd", "gpu");
    assertThat(host.images()).containsExactly(IMAGE, "new:2");
    assertThat(host.dockerReachable()).isTrue();
  }

  @Test
  void heartbeatWithoutImagesKeepsTheKnownImages() {
    registerHost("host-a", 4, 4096, 10);

    store.heartbeatHost("host-a", true, List.of(IMAGE, "new:2"));
    assertThat(jdbi.onDemand(HostRegistryDao.class).find("host-a").orElseThrow().images())
        .containsExactly(IMAGE, "new:2");

    // A daemon that did not answer cannot list its images; that is not "the images are gone".
    store.heartbeatHost("host-a", false, null);
    assertThat(jdbi.onDemand(HostRegistryDao.class).find("host-a").orElseThrow().images())
        .containsExactly(IMAGE, "new:2");

    store.heartbeatHost("host-a", true, List.of());
    assertThat(jdbi.onDemand(HostRegistryDao.class).find("host-a").orElseThrow().images())
        .isEmpty();
  }

  @Test
  void heartbeatOfAnUnknownHostAsksForRegistration() {
    assertThat(store.heartbeatHost("host-nobody", true, List.of(IMAGE))).isFalse();
  }

  @Test
  void aWorkerThatRegistersAgainKeepsTheOperatorsDrain() {
    registerHost("host-a", 8, 16384, 10);
    registerHost("host-b", 1, 1024, 10);
    jdbi.onDemand(HostDao.class).setDraining("host-a", true, "admin", null);

    // The worker stops cleanly and starts again.
    store.markHostOffline("host-a");
    registerHost("host-a", 8, 16384, 10);

    Host host = jdbi.onDemand(HostRegistryDao.class).find("host-a").orElseThrow();
    assertThat(host.state()).isEqualTo("online");
    assertThat(host.draining()).isTrue();
    insertSandbox("sb-1", 1.0, 512, "creating", null);
    assertThat(store.placeSandbox(placement("sb-1", 1.0, 512))).isEqualTo("host-b");
  }

  @Test
  void heartbeatKeepsADrainedHostDraining() {
    registerHost("host-a", 4, 4096, 10);
    execute("update hosts set state = 'draining'");

    store.heartbeatHost("host-a", false, null);

    Host host = jdbi.onDemand(HostRegistryDao.class).find("host-a").orElseThrow();
    assertThat(host.state()).isEqualTo("draining");
    assertThat(host.dockerReachable()).isFalse();
  }

  // --- helpers ------------------------------------------------------------------------------

  private static void registerHost(String id, double cpus, long memoryMb, int maxSandboxes) {
    store.registerHost(
        new HostRegistration(
            id, "sandbar-host-" + id, cpus, memoryMb, maxSandboxes, List.of(), List.of(IMAGE)));
  }

  private static void insertSandbox(
      String id, double cpus, long memoryMb, String state, String hostId) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    insert into sandboxes
                        (id, tenant_id, host_id, state, image, cpus, memory_mb, spec, created_at,
                         updated_at)
                    values
                        (:id, :tenant, :hostId, :state, 'sandbar-base:latest', :cpus, :memoryMb,
                         '{}', now(), now())
                    """)
                .bind("id", id)
                .bind("tenant", TENANT)
                .bind("hostId", hostId)
                .bind("state", state)
                .bind("cpus", cpus)
                .bind("memoryMb", memoryMb)
                .execute());
  }

  private static Placement placement(String sandboxId, double cpus, long memoryMb) {
    return new Placement(sandboxId, new Resources(cpus, memoryMb, 128), List.of(), IMAGE);
  }

  private static Transition transition(
      String eventId, long seq, String sandboxId, SandboxState from, SandboxState to) {
    long now = System.currentTimeMillis();
    return new Transition(
        eventId,
        seq,
        sandboxId,
        TENANT,
        null,
        from,
        to,
        null,
        null,
        Actor.SYSTEM,
        "test",
        null,
        "ok",
        now,
        0,
        null);
  }

  private static void assertNoCapacity(Placement placement) {
    RefusedPlacement.of(store, placement);
  }

  /** Runs one SQL statement, to put a row in the state a test needs. */
  private void execute(String sql) {
    jdbi.useHandle(handle -> handle.execute(sql));
  }
}
