package dev.sandbar.standalone;

import dev.sandbar.worker.HostWorker;
import dev.sandbar.worker.WorkerApplication;
import java.net.URI;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A second host's worker: a {@link WorkerApplication} of its own, configured as a deployment would
 * configure one (its host id, labels and Docker endpoint), against a standalone system's embedded
 * Temporal and PostgreSQL.
 *
 * <p>{@link #kill} ends its host side as a crash would and {@link #revive} brings it back: the
 * Docker activities on its host queue stop being polled, its heartbeat stops, nothing is marked
 * offline. The workflow side keeps running, because the embedded test server never moves a workflow
 * off the sticky queue of a worker that stopped (a real cluster does after five seconds, and its
 * {@code ShutdownWorker} call is a no-op on the test server): stopping it would strand every
 * workflow whose last task this worker ran, which is not what a dead host does to a real cluster.
 */
final class SecondWorker implements AutoCloseable {

  private final ConfigurableApplicationContext context;
  private final String hostId;

  private SecondWorker(ConfigurableApplicationContext context, String hostId) {
    this.context = context;
    this.hostId = hostId;
  }

  /**
   * @param services the standalone system's Temporal and PostgreSQL
   * @param dataDir the standalone system's data directory, so archives (and thus moves between the
   *     hosts) are shared, as the README asks of hosts that restore each other's archives
   * @param extra more properties (labels, reconciliation settings), which win
   */
  static SecondWorker start(
      EmbeddedServices services,
      String hostId,
      URI dockerHost,
      Path dataDir,
      Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("spring.main.web-application-type", "none");
    properties.put("spring.datasource.url", services.jdbcUrl());
    properties.put("spring.datasource.username", services.databaseUser());
    properties.put("spring.datasource.password", services.databasePassword());
    // The test classpath also holds the API module, whose data source wins when present.
    properties.put("sandbar.db.url", services.jdbcUrl());
    properties.put("sandbar.db.user", services.databaseUser());
    properties.put("sandbar.db.password", services.databasePassword());
    properties.put("sandbar.temporal.address", services.temporalTarget());
    properties.put("sandbar.worker.host-id", hostId);
    properties.put("sandbar.docker.host", dockerHost.toString());
    properties.put("sandbar.data-dir", dataDir.toString());
    properties.putAll(extra);
    ConfigurableApplicationContext context =
        new SpringApplicationBuilder(WorkerApplication.class).properties(properties).run();
    return new SecondWorker(context, hostId);
  }

  String hostId() {
    return hostId;
  }

  boolean isRunning() {
    return context.isRunning();
  }

  /** Its host side dies: no Docker activity of this host is picked up any more. */
  void kill() {
    context.getBean(HostWorker.class).kill();
  }

  /** Its host side starts again, registers and tells the reconciliation it is back. */
  void revive() {
    context.getBean(HostWorker.class).start();
  }

  @Override
  public void close() {
    context.close();
  }
}
