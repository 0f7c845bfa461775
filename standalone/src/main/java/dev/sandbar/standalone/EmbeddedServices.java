package dev.sandbar.standalone;

import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts whatever standalone mode has not been pointed elsewhere: PostgreSQL (data kept under the
 * data directory, so sandboxes survive a restart) and the Temporal service.
 */
public final class EmbeddedServices implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);

  private final EmbeddedPostgres postgres;
  private final EmbeddedTemporal temporal;
  private final String jdbcUrl;
  private final String temporalTarget;

  private EmbeddedServices(
      EmbeddedPostgres postgres, EmbeddedTemporal temporal, String jdbcUrl, String target) {
    this.postgres = postgres;
    this.temporal = temporal;
    this.jdbcUrl = jdbcUrl;
    this.temporalTarget = target;
  }

  /**
   * @param dbUrl a configured database URL, or blank for the embedded one
   * @param temporalAddress a configured Temporal address, or blank for the embedded one
   * @param temporalPort port for the embedded Temporal service (0 picks one)
   */
  public static EmbeddedServices start(
      Path dataDir, String dbUrl, String temporalAddress, int temporalPort) {
    EmbeddedPostgres postgres = null;
    String jdbcUrl = dbUrl;
    if (dbUrl == null || dbUrl.isBlank()) {
      Path pgData = dataDir.resolve("postgres");
      try {
        Files.createDirectories(pgData);
        postgres =
            EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                // Spring stops it after the worker has marked its host offline; a JVM hook of
                // its own would race that and leave the worker waiting for a dead database.
                .setRegisterShutdownHook(false)
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL in " + pgData, e);
      }
      jdbcUrl = postgres.getJdbcUrl("postgres", "postgres");
      log.info("embedded PostgreSQL on port {} with data in {}", postgres.getPort(), pgData);
    }
    EmbeddedTemporal temporal = null;
    String target = temporalAddress;
    if (temporalAddress == null || temporalAddress.isBlank()) {
      temporal = EmbeddedTemporal.start(temporalPort);
      target = temporal.target();
      log.info("embedded Temporal service (in memory) on {}", target);
    }
    return new EmbeddedServices(postgres, temporal, jdbcUrl, target);
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public boolean embeddedDatabase() {
    return postgres != null;
  }

  public String temporalTarget() {
    return temporalTarget;
  }

  @Override
  public void close() throws IOException {
    if (temporal != null) {
      temporal.close();
    }
    if (postgres != null) {
      postgres.close();
    }
  }
}
