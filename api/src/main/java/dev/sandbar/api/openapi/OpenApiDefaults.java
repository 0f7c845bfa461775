package dev.sandbar.api.openapi;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * How the served OpenAPI document is written, as defaults any property overrides. OpenAPI 3.0
 * rather than 3.1: the generators and validators clients use (openapi-generator, the Atlassian
 * validator, most SDK generators) still treat 3.1 as beta, and a document they misread is not
 * exact. Answers are JSON, not the {@code *}{@code /*} springdoc assumes for handlers that do not
 * say what they produce.
 */
public class OpenApiDefaults implements EnvironmentPostProcessor {

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment
        .getPropertySources()
        .addLast(
            new MapPropertySource(
                "sandbarOpenApiDefaults",
                Map.of(
                    "springdoc.api-docs.version", "openapi_3_0",
                    "springdoc.default-produces-media-type", "application/json")));
  }
}
