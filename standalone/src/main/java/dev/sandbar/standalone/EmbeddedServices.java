package dev.sandbar.standalone;

import java.io.IOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts whatever standalone mode has not been pointed elsewhere: PostgreSQL (data kept under the
 * data directory, so sandboxes survive a restart) and the Temporal service.
 */
public final class EmbeddedServices implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedServices.class);

  private final EmbeddedDatabase database;
  private final EmbeddedTemporal temporal;
  private final String jdbcUrl;
  private final String temporalTarget;

  private EmbeddedServices(
      EmbeddedDatabase database, EmbeddedTemporal temporal, String jdbcUrl, String target) {
    this.database = database;
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
    EmbeddedDatabase database = null;
    String jdbcUrl = dbUrl;
    if (dbUrl == null || dbUrl.isBlank()) {
      Console.progress("starting PostgreSQL (data in {})", dataDir.resolve("postgres"));
      database = EmbeddedDatabase.start(dataDir);
      jdbcUrl = database.jdbcUrl();
    }
    EmbeddedTemporal temporal = null;
    String target = temporalAddress;
    if (temporalAddress == null || temporalAddress.isBlank()) {
      Console.progress("starting Temporal (in memory)");
      try {
        temporal = EmbeddedTemporal.start(temporalPort);
      } catch (RuntimeException e) {
        closeQuietly(database);
        throw e;
      }
      target = temporal.target();
      log.info("embedded Temporal service (in memory) on {}", target);
    }
    return new EmbeddedServices(database, temporal, jdbcUrl, target);
  }

  private static void closeQuietly(EmbeddedDatabase database) {
    if (database == null) {
      return;
    }
    try {
      database.close();
    } catch (IOException | RuntimeException e) {
      log.warn("could not stop the embedded PostgreSQL: {}", e.toString());
    }
  }

  /** The embedded database's superuser, or null when the database is a configured one. */
  public String databaseUser() {
    return database == null ? null : EmbeddedDatabaseAccess.USER;
  }

  /** The embedded database's generated password, or null when the database is a configured one. */
  public String databasePassword() {
    return database == null ? null : database.password();
  }

  public String jdbcUrl() {
    return jdbcUrl;
  }

  public boolean embeddedDatabase() {
    return database != null;
  }

  public String temporalTarget() {
    return temporalTarget;
  }

  @Override
  public void close() throws IOException {
    if (temporal != null) {
      temporal.close();
    }
    if (database != null) {
      database.close();
    }
  }
}
