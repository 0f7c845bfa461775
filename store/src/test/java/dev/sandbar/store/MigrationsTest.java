package dev.sandbar.store;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.store.testing.PostgresExtension;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class MigrationsTest {

  @RegisterExtension static final PostgresExtension POSTGRES = new PostgresExtension();

  /** A database migrated by an earlier release must find the same scripts, byte for byte. */
  record Applied(String version, String script, int checksum) {}

  @Test
  void scriptsKeepTheNamesAndChecksumsExistingDatabasesRecorded() {
    List<Applied> applied =
        POSTGRES
            .jdbi()
            .withHandle(
                handle ->
                    handle
                        .createQuery(
                            """
                            select version, script, checksum from flyway_schema_history
                            where success order by installed_rank
                            """)
                        .map(
                            (rs, ctx) ->
                                new Applied(
                                    rs.getString("version"),
                                    rs.getString("script"),
                                    rs.getInt("checksum")))
                        .list());

    assertThat(applied)
        .containsExactly(
            new Applied("1", "V1__sandboxes.sql", 1078399179),
            new Applied("2", "V2__exec_tasks.sql", -1005809115),
            new Applied("3", "V3__archives.sql", -810517270),
            new Applied("4", "V4__installation.sql", 1348807538),
            new Applied("5", "V5__placement_requests.sql", 106014211),
            new Applied("7", "V7__host_drain_events_unclaimed.sql", -86114265),
            new Applied("8", "V8__sandbox_health.sql", -1586442752),
            new Applied("9", "V9__task_truncated_writable_layer.sql", -484401462),
            new Applied("10", "V10__host_user_namespaces.sql", -1212303693),
            new Applied("11", "V11__tenant_quotas.sql", 999903582),
            new Applied("12", "V12__idempotency_requests.sql", -1836206243),
            new Applied("13", "V13__durable_notices_task_launch.sql", -631315310),
            new Applied("14", "V14__server_secrets.sql", -310841091),
            new Applied("16", "V16__e2b_processes.sql", -1822005317),
            new Applied("18", "V18__warm_pool.sql", 904099579),
            new Applied("19", "V19__host_files_endpoint.sql", 1028749181));
  }

  @Test
  void applyingTwiceChangesNothing() {
    Migrations.apply(POSTGRES.dataSource());

    int rows =
        POSTGRES
            .jdbi()
            .withHandle(
                handle ->
                    handle
                        .createQuery("select count(*) from flyway_schema_history")
                        .mapTo(Integer.class)
                        .one());
    assertThat(rows).isEqualTo(16);
  }
}
