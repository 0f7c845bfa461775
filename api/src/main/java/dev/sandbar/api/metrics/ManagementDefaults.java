package dev.sandbar.api.metrics;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Exposes {@code /actuator/prometheus} (and health) in every application that carries the API, as
 * defaults any property or variable overrides (e.g. {@code MANAGEMENT_SERVER_PORT} for a separate
 * management port).
 */
public class ManagementDefaults implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                "sandbarManagementDefaults",
                Map.of(
                    "management.endpoints.web.exposure.include", "health,prometheus",
                    "management.metrics.tags.application", "sandbar",
                    // /actuator/health/readiness says whether start-up (recovery) is done.
                    "management.endpoint.health.probes.enabled", "true",
                    "management.endpoint.health.group.readiness.include", "readinessState,startup",
                    "management.endpoint.health.group.readiness.show-details", "always",
                    // A worker run alone has the API's classes but not its startup indicator.
                    "management.endpoint.health.validate-group-membership", "false")));
  }
}
