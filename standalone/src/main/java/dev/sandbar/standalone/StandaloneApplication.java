package dev.sandbar.standalone;

import dev.sandbar.activities.archive.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.PropertySource;

/**
 * Everything in one process: embedded Temporal and PostgreSQL, the HTTP API on 127.0.0.1 and one
 * worker for the local Docker daemon. {@code TEMPORAL_ADDRESS} and {@code SANDBAR_DB_URL} switch to
 * a real cluster and database without a code change.
 */
@SpringBootApplication
@PropertySource("classpath:sandbar-standalone.properties")
public class StandaloneApplication {

  public static void main(String[] args) {
    Path dataDir = dataDir();
    String apiKey = secret("SANDBAR_API_KEY", dataDir.resolve("api-key"));
    String adminKey = secret("SANDBAR_ADMIN_KEY", dataDir.resolve("admin-key"));
    // What the API presents to other hosts' workers (and its own, when it serves files): kept, so
    // a worker started with this file's content keeps working across restarts.
    String workerToken = secret("SANDBAR_WORKER_TOKEN", dataDir.resolve("worker-token"));
    SpringApplication app = new SpringApplication(StandaloneApplication.class);
    Map<String, Object> defaults = defaults(dataDir, apiKey, adminKey);
    defaults.put("sandbar.worker.token", workerToken);
    app.setDefaultProperties(defaults);
    ConfigurableApplicationContext context = app.run(args);
    Console.banner(banner(context, dataDir));
  }

  /** Shown once everything is ready: where to go, where the key and the logs are. */
  static String banner(ConfigurableApplicationContext context, Path dataDir) {
    String port = context.getEnvironment().getProperty("local.server.port", "8080");
    String address = context.getEnvironment().getProperty("server.address", "127.0.0.1");
    String base = "http://" + address + ":" + port;
    Path keyFile = dataDir.resolve("api-key");
    return String.join(
        System.lineSeparator(),
        "",
        "Sandbar is ready (standalone).",
        "  API:        " + base + "/v1",
        "  Swagger UI: " + base + "/swagger-ui.html",
        "  API key:    in " + keyFile + "   (admin key: " + dataDir.resolve("admin-key") + ")",
        "  Data:       " + dataDir,
        "  Log:        "
            + context.getEnvironment().getProperty("logging.file.name")
            + "   (PostgreSQL: "
            + EmbeddedDatabase.logFile(dataDir)
            + ")",
        "  Try:        curl -H \"Authorization: Bearer $(cat "
            + keyFile
            + ")\" "
            + base
            + "/v1/sandboxes",
        "");
  }

  static Map<String, Object> defaults(Path dataDir, String apiKey, String adminKey) {
    Map<String, Object> defaults = new HashMap<>();
    defaults.put("sandbar.data-dir", dataDir.toString());
    defaults.put("sandbar.api-key", apiKey);
    defaults.put("sandbar.admin-key", adminKey);
    defaults.put("server.address", "${SANDBAR_BIND_ADDRESS:127.0.0.1}");
    defaults.put("server.port", "${SANDBAR_PORT:8080}");
    // The terminal is for a person: progress and the banner; the rest goes to the log file.
    defaults.put("logging.config", "classpath:sandbar-standalone-logback.xml");
    defaults.put("logging.file.name", dataDir.resolve("logs").resolve("sandbar.log").toString());
    defaults.put("spring.main.banner-mode", "off");
    // Drain long-polls park a request for up to a minute; virtual threads make that cheap.
    defaults.put("spring.threads.virtual.enabled", "true");
    return defaults;
  }

  static Path dataDir() {
    String configured = System.getenv("SANDBAR_DATA_DIR");
    Path dir =
        configured == null || configured.isBlank()
            ? Path.of(System.getProperty("user.home"), ".sandbar")
            : Path.of(configured);
    try {
      PrivateFiles.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create data directory " + dir, e);
    }
    return dir.toAbsolutePath();
  }

  /** The key from the environment, else the one kept in {@code file}, else a new one kept there. */
  static String secret(String env, Path file) {
    String value = System.getenv(env);
    try {
      if (value == null || value.isBlank()) {
        if (Files.exists(file)) {
          return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        byte[] random = new byte[24];
        new SecureRandom().nextBytes(random);
        value = "sbk_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
      }
      PrivateFiles.writeString(file, value + "\n");
      return value;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot keep " + env + " in " + file, e);
    }
  }
}
