package dev.sandbar.worker;

import java.util.HashMap;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A host worker on its own: connects to the Temporal cluster at {@code TEMPORAL_ADDRESS} and the
 * database at {@code SANDBAR_DB_URL}, and runs the Docker activities of the local daemon. With
 * {@code SANDBAR_METRICS_PORT} set it also serves {@code /actuator/prometheus} (its Temporal worker
 * and reconciliation series) on that port; without, it opens no port at all.
 */
@SpringBootApplication
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(WorkerApplication.class);
    app.setDefaultProperties(defaults(System.getenv("SANDBAR_METRICS_PORT")));
    app.run(args);
  }

  /**
   * The worker's settings; {@code metricsPort} (null or blank: none) makes it a web application
   * serving only the actuator's health and Prometheus endpoints there, without a key: keep that
   * port on the internal network the scraper is on.
   */
  public static Map<String, Object> defaults(@Nullable String metricsPort) {
    Map<String, Object> defaults = new HashMap<>();
    defaults.put(
        "spring.datasource.url", "${SANDBAR_DB_URL:jdbc:postgresql://127.0.0.1:5432/sandbar}");
    defaults.put("spring.datasource.username", "${SANDBAR_DB_USER:sandbar}");
    defaults.put("spring.datasource.password", "${SANDBAR_DB_PASSWORD:sandbar}");
    boolean metrics = metricsPort != null && !metricsPort.isBlank();
    defaults.put("spring.main.web-application-type", metrics ? "servlet" : "none");
    if (metrics) {
      defaults.put("server.port", metricsPort.strip());
      defaults.put("management.endpoints.web.exposure.include", "health,prometheus");
    }
    return defaults;
  }
}
