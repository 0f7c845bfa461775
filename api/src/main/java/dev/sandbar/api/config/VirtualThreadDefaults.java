package dev.sandbar.api.config;

import java.util.Map;
import org.springframework.boot.EnvironmentPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.core.env.ConfigurableEnvironment;
import org.springframework.core.env.MapPropertySource;

/**
 * Serves requests on virtual threads ({@code spring.threads.virtual.enabled}) in every application
 * that carries the API, unless configured otherwise. A foreground exec waits up to its limit (ten
 * minutes and more) for its command and a notification drain up to a minute: on platform threads, a
 * few hundred such waits would take every Tomcat thread and every other request would queue; on
 * virtual threads a waiting request holds no platform thread. Lowest precedence, so any property
 * source (a setting, the environment, a test) wins.
 */
public class VirtualThreadDefaults implements EnvironmentPostProcessor {

  static final String SOURCE = "sandbar-api-defaults";

  @Override
  public void postProcessEnvironment(
      ConfigurableEnvironment environment, SpringApplication application) {
    environment
        .getPropertySources()
        .addLast(new MapPropertySource(SOURCE, Map.of("spring.threads.virtual.enabled", "true")));
  }
}
