package dev.sandbar.store.quota;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.store.quota.QuotaAdmissions.SandboxAdmission;
import dev.sandbar.store.sandbox.NewSandbox;
import dev.sandbar.store.testing.PostgresExtension;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.jdbi.v3.core.Jdbi;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class QuotaAdmissionsTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  private static final String TENANT = "quota-tenant";
  private static final String OTHER_TENANT = "quota-other";

  private final Jdbi jdbi = POSTGRES.jdbi();
  private final QuotaAdmissions admissions = new QuotaAdmissions(jdbi);

  @BeforeEach
  void freshTenants() {
    POSTGRES.truncate(
        "command_admissions",
        "exec_tasks",
        "archives",
        "tenant_quotas",
        "sandboxes",
        "api_keys",
        "tenants cascade");
    jdbi.useHandle(
        handle -> {
          handle.execute("insert into tenants (id, name) values (?, ?)", TENANT, TENANT);
          handle.execute(
              "insert into tenants (id, name) values (?, ?)", OTHER_TENANT, OTHER_TENANT);
        });
  }

  @Test
  void concurrentCommandAdmissionsNeverOvershootTheSandboxQuota() throws Exception {
    int attempts = 24;
    List<Callable<Optional<QuotaRefusal>>> calls = new ArrayList<>();
    for (int i = 0; i < attempts; i++) {
      String taskId = "t-" + i;
      calls.add(() -> admissions.admitCommand(TENANT, "sb-1", taskId, 5, 100));
    }
    ExecutorService pool = Executors.newFixedThreadPool(8);
    List<Optional<QuotaRefusal>> outcomes = new ArrayList<>();
    try {
      for (Future<Optional<QuotaRefusal>> outcome : pool.invokeAll(calls)) {
        outcomes.add(outcome.get());
      }
    } finally {
      pool.shutdown();
    }

    assertThat(outcomes.stream().filter(Optional::isEmpty)).hasSize(5);
    assertThat(outcomes.stream().flatMap(Optional::stream))
        .hasSize(attempts - 5)
        .allSatisfy(
            refusal -> {
              assertThat(refusal.quota()).isEqualTo(QuotaAdmissions.COMMANDS_PER_SANDBOX);
              assertThat(refusal.limit()).isEqualTo(5);
              assertThat(refusal.current()).isEqualTo(5);
            });
  }

  @Test
  void theTenantQuotaCountsEveryOneOfItsSandboxesAndNoOtherTenant() {
    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-1", 64, 2)).isEmpty();
    assertThat(admissions.admitCommand(OTHER_TENANT, "sb-9", "t-9", 64, 2)).isEmpty();
    assertThat(admissions.admitCommand(TENANT, "sb-2", "t-2", 64, 2)).isEmpty();

    assertThat(admissions.admitCommand(TENANT, "sb-3", "t-3", 64, 2))
        .contains(new QuotaRefusal(QuotaAdmissions.COMMANDS_PER_TENANT, 2, 2));
  }

  @Test
  void anAdmittedCommandCountsOnceWhetherOrNotItsTaskRowIsWrittenAndEndsWithIt() {
    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-1", 2, 100)).isEmpty();
    taskRow("t-1", "running");
    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-2", 2, 100)).isEmpty();

    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-3", 2, 100))
        .contains(new QuotaRefusal(QuotaAdmissions.COMMANDS_PER_SANDBOX, 2, 2));

    jdbi.useHandle(
        handle ->
            handle.execute(
                "update exec_tasks set status = 'completed', ended_at = now() where id = 't-1'"));
    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-3", 2, 100)).isEmpty();
  }

  @Test
  void aWithdrawnAdmissionFreesItsSlot() {
    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-1", 1, 100)).isEmpty();
    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-2", 1, 100)).isPresent();

    admissions.withdrawCommand("t-1");

    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-2", 1, 100)).isEmpty();
  }

  @Test
  void aLapsedAdmissionStopsCounting() {
    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-1", 1, 100)).isEmpty();
    jdbi.useHandle(
        handle ->
            handle.execute(
                "update command_admissions set admitted_at = now() - interval '61 seconds'"));

    assertThat(admissions.admitCommand(TENANT, "sb-1", "t-2", 1, 100)).isEmpty();
  }

  @Test
  void theSandboxQuotaCountsSandboxesNotDestroyedAndNeverRefusesARepeatedKey() {
    assertThat(admissions.admitSandbox(sandbox("sb-1", "key-1"), 2).value())
        .isEqualTo(SandboxAdmission.INSERTED);
    assertThat(admissions.admitSandbox(sandbox("sb-2", null), 2).value())
        .isEqualTo(SandboxAdmission.INSERTED);

    QuotaAdmissions.Result<SandboxAdmission> third =
        admissions.admitSandbox(sandbox("sb-3", null), 2);
    assertThat(third.refused()).isTrue();
    assertThat(third.refusal())
        .isEqualTo(new QuotaRefusal(QuotaAdmissions.SANDBOXES_PER_TENANT, 2, 2));
    assertThat(admissions.admitSandbox(sandbox("sb-4", "key-1"), 2).value())
        .isEqualTo(SandboxAdmission.DUPLICATE_KEY);

    jdbi.useHandle(
        handle -> handle.execute("update sandboxes set state = 'destroyed' where id = 'sb-2'"));
    assertThat(admissions.admitSandbox(sandbox("sb-3", null), 2).value())
        .isEqualTo(SandboxAdmission.INSERTED);
    long rows =
        jdbi.withHandle(h -> h.select("select count(*) from sandboxes").mapTo(Long.class).one());
    assertThat(rows).isEqualTo(3);
  }

  @Test
  void archivesAreRefusedOnceTheKeptOnesReachTheQuota() {
    archive("a-1", 600, "ready");
    archive("a-2", 500, "deleted");
    assertThat(admissions.checkArchiveBytes(TENANT, 1000)).isEmpty();

    archive("a-3", 400, "ready");

    assertThat(admissions.checkArchiveBytes(TENANT, 1000))
        .contains(new QuotaRefusal(QuotaAdmissions.ARCHIVE_BYTES_PER_TENANT, 1000, 1000));
    assertThat(admissions.checkArchiveBytes(OTHER_TENANT, 1000)).isEmpty();
  }

  @Test
  void overridesAreReplacedWhole() {
    QuotaDao dao = jdbi.onDemand(QuotaDao.class);
    assertThat(dao.overrides(TENANT)).isEmpty();

    dao.putOverrides(TENANT, new QuotaOverrides(8, null, 3, 1024L, null));
    dao.putOverrides(TENANT, new QuotaOverrides(null, 16, 3, null, null));

    QuotaOverrides stored = dao.overrides(TENANT).orElseThrow();
    assertThat(stored.commandsPerSandbox()).isNull();
    assertThat(stored.commandsPerTenant()).isEqualTo(16);
    assertThat(stored.sandboxesPerTenant()).isEqualTo(3);
    assertThat(stored.archiveBytesPerTenant()).isNull();
    assertThat(stored.updatedAt()).isNotNull();
  }

  private void taskRow(String id, String status) {
    jdbi.useHandle(
        handle ->
            handle.execute(
                """
                insert into exec_tasks (id, sandbox_id, tenant_id, command, background, status,
                                        output_file, started_at)
                values (?, 'sb-1', ?, 'sleep 60', true, ?, '/out', now())
                """,
                id,
                TENANT,
                status));
  }

  private void archive(String id, long bytes, String status) {
    jdbi.useHandle(
        handle ->
            handle.execute(
                """
                insert into archives (id, sandbox_id, tenant_id, size_bytes, sha256, status,
                                      created_at)
                values (?, 'sb-1', ?, ?, 'x', ?, now())
                """,
                id,
                TENANT,
                bytes,
                status));
  }

  private static NewSandbox sandbox(String id, String idempotencyKey) {
    return new NewSandbox(
        id, TENANT, "sandbar-base:latest", 1, 256, "{}", "{}", idempotencyKey, Instant.now(), null);
  }
}
