package dev.sandbar.api.metrics;

import dev.sandbar.api.config.SandbarApiProperties;
import io.micrometer.core.instrument.MeterRegistry;
import org.jdbi.v3.core.Jdbi;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The API's Prometheus figures: the operation timers, the fleet gauges and the scrape endpoint's
 * key check. Without a meter registry (an application without the actuator) nothing is recorded.
 */
@Configuration(proxyBeanMethods = false)
class MetricsConfiguration {

  static final String SCRAPE_PATH = "/actuator/prometheus";

  @Bean
  OperationTimers operationTimers(ObjectProvider<MeterRegistry> registry) {
    return new OperationTimers(registry.getIfAvailable());
  }

  @Bean
  FleetGauges fleetGauges(Jdbi jdbi, ObjectProvider<MeterRegistry> registry) {
    MeterRegistry meters = registry.getIfAvailable();
    return meters == null ? null : new FleetGauges(jdbi, meters);
  }

  @Bean
  FilterRegistrationBean<ScrapeAuthFilter> scrapeAuthFilter(
      SandbarApiProperties properties,
      @Value("${sandbar.metrics.public:${SANDBAR_METRICS_PUBLIC:false}}") boolean open) {
    FilterRegistrationBean<ScrapeAuthFilter> registration =
        new FilterRegistrationBean<>(new ScrapeAuthFilter(properties.adminKey()));
    registration.addUrlPatterns(SCRAPE_PATH);
    registration.setEnabled(!open);
    return registration;
  }
}
