package dev.sandbar.api.metrics;

import dev.sandbar.store.host.Host;
import dev.sandbar.store.host.HostDao;
import dev.sandbar.store.metrics.FleetMetricsDao;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.MultiGauge;
import io.micrometer.core.instrument.Tags;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

/**
 * The fleet gauges, read from the read model: {@code sandbar_sandboxes{state,host}} (sandboxes not
 * destroyed; {@code host=""} for those not placed yet) and {@code sandbar_hosts{state}} (online,
 * draining, unreachable, as {@code GET /v1/hosts} shows them). One query each, refreshed every
 * {@link #REFRESH} rather than at every scrape, so any number of scrapers costs the database the
 * same; a failed refresh keeps the last values.
 */
public class FleetGauges implements SmartLifecycle {

  private static final Logger log = LoggerFactory.getLogger(FleetGauges.class);

  static final Duration REFRESH = Duration.ofSeconds(15);
  private static final List<String> HOST_STATES = List.of("online", "draining", "unreachable");

  private final Jdbi jdbi;
  private final MultiGauge sandboxes;
  private final MultiGauge hosts;
  private ScheduledExecutorService refresher;

  public FleetGauges(Jdbi jdbi, MeterRegistry registry) {
    this.jdbi = jdbi;
    this.sandboxes =
        MultiGauge.builder("sandbar.sandboxes")
            .description("Sandboxes that are not destroyed, by state and host")
            .register(registry);
    this.hosts =
        MultiGauge.builder("sandbar.hosts")
            .description("Registered hosts by state (online, draining, unreachable)")
            .register(registry);
  }

  /** Reads both counts and replaces the gauges' rows (rows that vanished are removed). */
  void refresh() {
    try {
      List<FleetMetricsDao.SandboxCount> counts =
          jdbi.onDemand(FleetMetricsDao.class).sandboxCounts();
      sandboxes.register(
          counts.stream()
              .map(
                  c ->
                      MultiGauge.Row.of(
                          Tags.of("state", c.state(), "host", c.hostId()), (Number) c.count()))
              .toList(),
          true);
      Map<String, Long> byState = new TreeMap<>();
      HOST_STATES.forEach(state -> byState.put(state, 0L));
      for (Host host : jdbi.onDemand(HostDao.class).list()) {
        byState.merge(host.apiState(), 1L, Long::sum);
      }
      hosts.register(
          byState.entrySet().stream()
              .map(e -> MultiGauge.Row.of(Tags.of("state", e.getKey()), (Number) e.getValue()))
              .toList(),
          true);
    } catch (RuntimeException databaseAway) {
      log.debug("fleet gauges not refreshed: {}", databaseAway.toString());
    }
  }

  @Override
  public synchronized void start() {
    refresher =
        Executors.newSingleThreadScheduledExecutor(
            r -> {
              Thread thread = new Thread(r, "sandbar-fleet-gauges");
              thread.setDaemon(true);
              return thread;
            });
    refresher.scheduleWithFixedDelay(this::refresh, 0, REFRESH.toMillis(), TimeUnit.MILLISECONDS);
  }

  @Override
  public synchronized void stop() {
    if (refresher != null) {
      refresher.shutdownNow();
      refresher = null;
    }
  }

  @Override
  public synchronized boolean isRunning() {
    return refresher != null;
  }
}
