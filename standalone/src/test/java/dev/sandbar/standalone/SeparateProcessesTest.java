package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.container.DockerClients;
import dev.sandbar.api.ApiApplication;
import dev.sandbar.api.testing.ApiClient.Response;
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

  private static final String WORKER_TOKEN = "split-worker-token-0123456789";

  @Test
  void apiAndWorkerRunAsSeparateApplicationsAgainstConfiguredServices() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-split-");
    try (EmbeddedServices services = EmbeddedServices.start(dataDir, "", "", 0);
        // A worker application configured as a deployment would (SecondWorker), serving files.
        SecondWorker worker =
            SecondWorker.start(
                services,
                "split-" + dataDir.getFileName(),
                DockerClients.dockerHostFromEnvironment(),
                dataDir,
                Map.of(
                    "sandbar.worker.files-port", "0",
                    "sandbar.worker.files-bind-address", "127.0.0.1",
                    "sandbar.worker.token", WORKER_TOKEN));
        ConfigurableApplicationContext api =
            new SpringApplicationBuilder(ApiApplication.class)
                .properties(
                    Map.of(
                        "server.port",
                        "0",
                        "server.address",
                        "127.0.0.1",
                        "sandbar.db.url",
                        services.jdbcUrl(),
                        "sandbar.db.user",
                        services.databaseUser(),
                        "sandbar.db.password",
                        services.databasePassword(),
                        "sandbar.temporal.address",
                        services.temporalTarget(),
                        "sandbar.admin-key",
                        SandbarTestSupport.ADMIN_KEY,
                        "sandbar.worker.token",
                        WORKER_TOKEN,
                        // The api jar holds no worker; this test's classpath does: keep it off,
                        // so every sandbox lands on the worker above, as in a split deployment.
                        "sandbar.worker.enabled",
                        "false"))
                .run()) {
      assertThat(worker.isRunning()).isTrue();
      int port = Integer.parseInt(api.getEnvironment().getProperty("local.server.port"));
      SandbarTestSupport client = new SandbarTestSupport(port);

      String key = client.newTenantKey("split");

      Response created = client.call("POST", "/v1/sandboxes", key, "{\"wait\": true}", Map.of());
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      assertThat(created.json().get("state").asString()).isEqualTo("running");
      String id = created.json().get("id").asString();

      // Files move between the API and the worker's files endpoint: the API drives no Docker.
      try (DockerClient docker = DockerClients.create(DockerClients.dockerHostFromEnvironment())) {
        FilesRoundTrip files = new FilesRoundTrip(client, port, key, docker, id);
        files.movesListsMakesAndDeletes();
        files.refusesEscapes();
      }
      Response destroyed = client.call("DELETE", "/v1/sandboxes/" + id, key, null, Map.of());
      assertThat(destroyed.json().get("state").asString()).isEqualTo("destroyed");
    }
  }
}
