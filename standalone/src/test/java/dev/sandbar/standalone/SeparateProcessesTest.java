package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiApplication;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.worker.WorkerApplication;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The API and a worker as two separate applications, configured only through the same settings a
 * deployment would use, against a Temporal service and a PostgreSQL database they do not embed.
 */
class SeparateProcessesTest {

  @Test
  void apiAndWorkerRunAsSeparateApplicationsAgainstConfiguredServices() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-split-");
    try (EmbeddedServices services = EmbeddedServices.start(dataDir, "", "", 0);
        ConfigurableApplicationContext worker =
            new SpringApplicationBuilder(WorkerApplication.class)
                .properties(
                    Map.of(
                        "spring.main.web-application-type",
                        "none",
                        "spring.datasource.url",
                        services.jdbcUrl(),
                        "spring.datasource.username",
                        services.databaseUser(),
                        "spring.datasource.password",
                        services.databasePassword(),
                        // Only this test's classpath also holds the API module, whose data
                        // source wins when present: give it the same database.
                        "sandbar.db.url",
                        services.jdbcUrl(),
                        "sandbar.db.user",
                        services.databaseUser(),
                        "sandbar.db.password",
                        services.databasePassword(),
                        "sandbar.temporal.address",
                        services.temporalTarget(),
                        "sandbar.worker.host-id",
                        "split-" + dataDir.getFileName(),
                        "sandbar.data-dir",
                        dataDir.toString()))
                .run();
        ConfigurableApplicationContext api =
            new SpringApplicationBuilder(ApiApplication.class)
                .properties(
                    Map.of(
                        "server.port", "0",
                        "server.address", "127.0.0.1",
                        "sandbar.db.url", services.jdbcUrl(),
                        "sandbar.db.user", services.databaseUser(),
                        "sandbar.db.password", services.databasePassword(),
                        "sandbar.temporal.address", services.temporalTarget(),
                        "sandbar.admin-key", SandbarTestSupport.ADMIN_KEY))
                .run()) {
      assertThat(worker.isRunning()).isTrue();
      int port = Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
      SandbarTestSupport client = new SandbarTestSupport(port);

      String key = client.newTenantKey("split");

      Response created = client.call("POST", "/v1/sandboxes", key, "{\"wait\": true}", Map.of());
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().get("state").asString()).isEqualTo("running");
      String id = created.json().get("id").asString();
      Response destroyed = client.call("DELETE", "/v1/sandboxes/" + id, key, null, Map.of());
      assertThat(destroyed.json().get("state").asString()).isEqualTo("destroyed");
    }
  }
}
