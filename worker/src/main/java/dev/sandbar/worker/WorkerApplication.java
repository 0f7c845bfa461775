package dev.sandbar.worker;

import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A host worker on its own: connects to the Temporal cluster at {@code TEMPORAL_ADDRESS} and the
 * database at {@code SANDBAR_DB_URL}, and runs the Docker activities of the local daemon.
 */
@SpringBootApplication
public class WorkerApplication {

  public static void main(String[] args) {
    SpringApplication app = new SpringApplication(WorkerApplication.class);
    app.setDefaultProperties(
        Map.of(
            "spring.main.web-application-type", "none",
            "spring.datasource.url", "${SANDBAR_DB_URL:jdbc:postgresql://127.0.0.1:5432/sandbar}",
            "spring.datasource.username", "${SANDBAR_DB_USER:sandbar}",
            "spring.datasource.password", "${SANDBAR_DB_PASSWORD:sandbar}"));
    app.run(args);
  }
}
