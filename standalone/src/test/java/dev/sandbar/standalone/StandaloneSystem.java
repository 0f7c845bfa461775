package dev.sandbar.standalone;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * A whole standalone system of a test's own (its embedded Temporal and PostgreSQL on a data
 * directory, the API on a free loopback port, the test keys), which the test may stop and start
 * again on the same directory; stopped after each test.
 */
final class StandaloneSystem implements AfterEachCallback {

  private ConfigurableApplicationContext context;

  SandbarTestSupport start(Path dataDir, String hostId) {
    return start(dataDir, hostId, Map.of());
  }

  /** As {@link #start(Path, String)}, with {@code extra} properties (which win). */
  SandbarTestSupport start(Path dataDir, String hostId, Map<String, Object> extra) {
    Map<String, Object> properties = new HashMap<>();
    properties.put("sandbar.data-dir", dataDir.toString());
    properties.put("sandbar.api-key", SandbarTestSupport.API_KEY);
    properties.put("sandbar.admin-key", SandbarTestSupport.ADMIN_KEY);
    properties.put("sandbar.temporal.embedded-port", "0");
    properties.put("sandbar.worker.host-id", hostId);
    properties.put("server.port", "0");
    properties.put("server.address", "127.0.0.1");
    // Networks go with their last sandbox: many test systems share one daemon's address pools.
    properties.put("sandbar.worker.network-idle-seconds", "0");
    properties.putAll(extra);
    context =
        new SpringApplicationBuilder(StandaloneApplication.class).properties(properties).run();
    return new SandbarTestSupport(
        Integer.parseInt(context.getEnvironment().getProperty("local.server.port")));
  }

  /** A bean of the running system, e.g. its {@code Jdbi}. */
  <T> T bean(Class<T> type) {
    return context.getBean(type);
  }

  void stop() {
    if (context != null) {
      context.close();
      context = null;
    }
  }

  @Override
  public void afterEach(ExtensionContext ignored) {
    stop();
  }
}
