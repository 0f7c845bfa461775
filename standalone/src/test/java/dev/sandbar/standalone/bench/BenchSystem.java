package dev.sandbar.standalone.bench;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.api.testing.ApiClient;
import dev.sandbar.api.testing.ApiClient.Response;
import dev.sandbar.standalone.EmbeddedServices;
import dev.sandbar.standalone.StandaloneApplication;
import io.temporal.client.WorkflowClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * The standalone Sandbar the benchmark measures: embedded Temporal and PostgreSQL on a data
 * directory of its own, the API on a free loopback port, one worker on the local Docker daemon. The
 * reconciliation cron is off so that its passes do not land inside other scenarios' timings; the
 * reconciliation scenario runs its passes itself. CPU overcommit is raised so that placement admits
 * the scenarios' sandboxes on a small machine.
 */
final class BenchSystem implements AutoCloseable {

  static final String API_KEY = "sbk_bench_default_tenant_key";
  static final String ADMIN_KEY = "sbk_bench_admin_key";
  static final String HOST_ID = "bench";

  private final ConfigurableApplicationContext context;
  private final ApiClient client;
  private final Path dataDir;

  BenchSystem(Path dataDir) {
    this.dataDir = dataDir;
    Map<String, Object> properties = new HashMap<>();
    properties.put("sandbar.data-dir", dataDir.toString());
    properties.put("sandbar.api-key", API_KEY);
    properties.put("sandbar.admin-key", ADMIN_KEY);
    properties.put("sandbar.temporal.embedded-port", "0");
    properties.put("sandbar.worker.host-id", HOST_ID);
    properties.put("sandbar.reconcile.enabled", "false");
    // Off until the pooled scenarios turn it on, so the other scenarios' creates are fresh ones.
    properties.put("sandbar.pool.size", "0");
    // Placement reserves 0.05 CPU per default sandbox and allows one per core unless overcommitted:
    // 40 sandboxes on a 2-core machine, fewer than the burst and the reconciliation scenario hold.
    properties.put(
        "sandbar.worker.cpu-overcommit", System.getProperty("sandbar.bench.cpu-overcommit", "8"));
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    context =
        new SpringApplicationBuilder(StandaloneApplication.class).properties(properties).run();
    client =
        new ApiClient(
            Integer.parseInt(context.getEnvironment().getProperty("local.server.port")),
            Duration.ofSeconds(300));
  }

  Response call(String method, String path, String body) {
    return client.send(method, path, API_KEY, body, Map.of());
  }

  Response admin(String method, String path, String body) {
    return client.send(method, path, ADMIN_KEY, body, Map.of());
  }

  DockerClient docker() {
    return context.getBean(DockerClient.class);
  }

  WorkflowClient temporal() {
    return context.getBean(WorkflowClient.class);
  }

  /** The embedded Temporal service and database, for a worker process to join. */
  EmbeddedServices services() {
    return context.getBean(EmbeddedServices.class);
  }

  Path dataDir() {
    return dataDir;
  }

  /** A property of the running system, or {@code fallback}. */
  String property(String key, String fallback) {
    return context.getEnvironment().getProperty(key, fallback);
  }

  Jdbi jdbi() {
    return context.getBean(Jdbi.class);
  }

  @Override
  public void close() {
    context.close();
  }
}
