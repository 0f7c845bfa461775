package dev.sandbar.activities.database;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.store.host.HostRegistration;
import dev.sandbar.store.testing.PostgresExtension;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.Resources;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Placement counts requests, not limits: explicit ones, or the default fractions of the limits.
 * Stopped sandboxes hold nothing, paused ones memory only; every reason for "no host" is named.
 */
class PlacementRequestsTest {

  private static final String TENANT = OneTenant.TENANT;
  private static final String IMAGE = "sandbar-base:latest";

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final Jdbi jdbi = POSTGRES.jdbi();

  /** The production defaults: 5 % of the CPU limit, half the memory limit. */
  private static final JdbiStoreActivities store = new JdbiStoreActivities(jdbi);

  @BeforeEach
  void emptyTables() {
    OneTenant.resetTables(POSTGRES);
  }

  @Test
  void fortyDefaultSandboxesFitOnTwoCoresAndTheFortyFirstIsRefusedForCpu() {
    registerHost("host-a", 2, 24_000, 100, List.of());

    for (int i = 0; i < 40; i++) {
      assertThat(store.placeSandbox(placement("sb-" + i, Resources.DEFAULT))).isEqualTo("host-a");
    }

    assertNoHost(
        placement("sb-40", Resources.DEFAULT), "no online host with room for 0.05 requested CPUs");
    Map<String, Object> row =
        jdbi.withHandle(
            handle ->
                handle
                    .createQuery(
                        "select request_cpus, request_memory_mb from sandboxes where id = 'sb-0'")
                    .mapToMap()
                    .one());
    assertThat(row).containsEntry("request_cpus", 0.05).containsEntry("request_memory_mb", 256L);
  }

  @Test
  void explicitRequestsAreCountedInsteadOfTheLimits() {
    registerHost("host-a", 2, 4096, 100, List.of());

    assertThat(store.placeSandbox(placement("sb-1", new Resources(2.0, 512, 64, 1.5, 100L))))
        .isEqualTo("host-a");

    assertNoHost(
        placement("sb-2", new Resources(1.0, 512, 64, 1.0, 100L)),
        "no online host with room for 1.0 requested CPUs");
    assertNoHost(
        placement("sb-2", new Resources(0.5, 4096, 64, 0.5, 4000L)),
        "no online host with room for 4000 MB of requested memory");
    assertThat(store.placeSandbox(placement("sb-2", new Resources(4.0, 8192, 64, 0.5, 3996L))))
        .isEqualTo("host-a");
  }

  @Test
  void stoppedSandboxesHoldNothingAndPausedOnesHoldMemoryOnly() {
    registerHost("host-a", 2, 1024, 100, List.of());
    insertPlaced("holder", "running", "host-a", 2.0, 768L);

    assertNoHost(
        placement("sb-1", new Resources(1.0, 512, 64, 0.5, 256L)),
        "no online host with room for 0.5 requested CPUs");

    setState("holder", "paused");
    assertNoHost(
        placement("sb-1", new Resources(1.0, 512, 64, 0.5, 512L)),
        "no online host with room for 512 MB of requested memory");
    assertThat(store.placeSandbox(placement("sb-1", new Resources(2.0, 256, 64, 2.0, 256L))))
        .isEqualTo("host-a");

    setState("sb-1", "stopped");
    setState("holder", "stopped");
    assertThat(store.placeSandbox(placement("sb-2", new Resources(2.0, 1024, 64, 2.0, 1024L))))
        .isEqualTo("host-a");
  }

  @Test
  void sandboxesPlacedBeforeRequestsExistedHoldTheDefaultFractions() {
    registerHost("host-a", 2, 4096, 100, List.of());
    // 1.9 of 2 CPUs held as 5 % of a 38-CPU limit; a request of limits would not fit at all.
    insertPlaced("legacy", "running", "host-a", null, null);
    jdbi.useHandle(handle -> handle.execute("update sandboxes set cpus = 38 where id = 'legacy'"));

    assertThat(store.placeSandbox(placement("sb-1", new Resources(1.0, 512, 64, 0.1, 256L))))
        .isEqualTo("host-a");
    assertNoHost(
        placement("sb-2", new Resources(1.0, 512, 64, 0.05, 256L)),
        "no online host with room for 0.05 requested CPUs");
  }

  @Test
  void theLeastAllocatedHostWinsByRequestsNotLimits() {
    registerHost("host-a", 4, 8192, 100, List.of());
    registerHost("host-b", 4, 8192, 100, List.of());
    // host-a's sandbox has the larger limits but the smaller request.
    insertPlaced("big-limits", "running", "host-a", 0.2, 256L);
    jdbi.useHandle(
        handle -> handle.execute("update sandboxes set cpus = 4 where id = 'big-limits'"));
    insertPlaced("big-request", "running", "host-b", 2.0, 256L);

    assertThat(store.placeSandbox(placement("sb-1", Resources.DEFAULT))).isEqualTo("host-a");
  }

  @Test
  void aHostSelectorOnlyMatchesHostsCarryingEveryLabelWithItsValue() {
    registerHost("host-plain", 8, 16384, 100, List.of());
    registerHost("host-gpu", 2, 2048, 100, List.of("gpu=true", "zone=a"));

    assertThat(store.placeSandbox(placement("sb-1", Resources.DEFAULT, "gpu=true", "zone=a")))
        .isEqualTo("host-gpu");
    assertThat(store.placeSandbox(placement("sb-2", Resources.DEFAULT))).isEqualTo("host-plain");
    assertNoHost(
        placement("sb-3", Resources.DEFAULT, "gpu=false"),
        "no online host matches hostSelector gpu=false");
    assertNoHost(
        placement("sb-3", Resources.DEFAULT, "gpu=true", "zone=b"),
        "no online host matches hostSelector gpu=true,zone=b");
  }

  @Test
  void maxSandboxesCountsEverySandboxNotDestroyedEvenStoppedOnes() {
    registerHost("host-a", 2, 4096, 2, List.of("zone=a"));
    insertPlaced("one", "stopped", "host-a", 1.0, 256L);
    insertPlaced("two", "destroyed", "host-a", 1.0, 256L);

    assertThat(store.placeSandbox(placement("sb-1", Resources.DEFAULT))).isEqualTo("host-a");

    assertNoHost(placement("sb-2", Resources.DEFAULT), "every online host is at maxSandboxes");
    assertNoHost(
        placement("sb-2", Resources.DEFAULT, "zone=a"), "every matching host is at maxSandboxes");
  }

  @Test
  void withoutAnyPlaceableHostTheReasonSaysSo() {
    assertNoHost(placement("sb-1", Resources.DEFAULT), "no online host has image " + IMAGE);
    registerHost("host-a", 2, 4096, 10, List.of());
    store.markHostOffline("host-a");
    assertNoHost(placement("sb-1", Resources.DEFAULT), "no online host has image " + IMAGE);
  }

  private static void registerHost(
      String id, double cpus, long memoryMb, int maxSandboxes, List<String> labels) {
    store.registerHost(
        new HostRegistration(
            id, "sandbar-host-" + id, cpus, memoryMb, maxSandboxes, labels, List.of(IMAGE)));
  }

  private static void insertPlaced(
      String id, String state, String hostId, Double requestCpus, Long requestMemoryMb) {
    jdbi.useHandle(
        handle ->
            handle
                .createUpdate(
                    """
                    insert into sandboxes
                        (id, tenant_id, host_id, state, image, cpus, memory_mb, request_cpus,
                         request_memory_mb, spec, created_at, updated_at)
                    values
                        (:id, :tenant, :hostId, :state, 'sandbar-base:latest', 2, 1024,
                         :requestCpus, :requestMemoryMb, '{}', now(), now())
                    """)
                .bind("id", id)
                .bind("tenant", TENANT)
                .bind("hostId", hostId)
                .bind("state", state)
                .bind("requestCpus", requestCpus)
                .bind("requestMemoryMb", requestMemoryMb)
                .execute());
  }

  private static void setState(String id, String state) {
    jdbi.useHandle(
        handle -> handle.execute("update sandboxes set state = ? where id = ?", state, id));
  }

  /** A placement for a sandbox whose row exists, as the API inserts it before the workflow. */
  private static Placement placement(String sandboxId, Resources resources, String... selector) {
    jdbi.useHandle(
        handle ->
            handle.execute(
                """
                insert into sandboxes
                    (id, tenant_id, state, image, cpus, memory_mb, spec, created_at, updated_at)
                values (?, ?, 'creating', 'sandbar-base:latest', 1, 512, '{}', now(), now())
                on conflict (id) do nothing
                """,
                sandboxId,
                TENANT));
    return new Placement(sandboxId, resources, List.of(selector), IMAGE);
  }

  private static void assertNoHost(Placement placement, String reason) {
    assertThat(RefusedPlacement.of(store, placement).getOriginalMessage()).isEqualTo(reason);
  }
}
