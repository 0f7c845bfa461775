package dev.sandbar.standalone;

import dev.sandbar.activities.archive.PrivateFiles;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
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
  private final String password;

  private EmbeddedServices(
      EmbeddedPostgres postgres,
      EmbeddedTemporal temporal,
      String jdbcUrl,
      String target,
      String password) {
    this.postgres = postgres;
    this.temporal = temporal;
    this.jdbcUrl = jdbcUrl;
    this.temporalTarget = target;
    this.password = password;
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
    String password = null;
    if (dbUrl == null || dbUrl.isBlank()) {
      Path pgData = dataDir.resolve("postgres");
      // Unpacked here rather than in a shared /tmp folder another user could have prepared.
      // The library makes its working directory group- and world-writable, so it goes one level
      // below a private one.
      Path binaries = dataDir.resolve("postgres-binaries").resolve("unpacked");
      try {
        PrivateFiles.createDirectories(pgData);
        PrivateFiles.createDirectories(binaries);
        EmbeddedDatabaseAccess access =
            EmbeddedDatabaseAccess.of(binaries, dataDir.resolve("postgres-password"));
        password = access.password();
        postgres =
            EmbeddedPostgres.builder()
                .setDataDirectory(pgData)
                .setCleanDataDirectory(false)
                .setOverrideWorkingDirectory(binaries.toFile())
                // The library keeps the first place it unpacked to per resolver for the whole JVM;
                // a resolver of this data directory's own makes it unpack here.
                .setPgBinaryResolver(ownResolver(binaries))
                .setDataDirectoryCustomizer(access::secure)
                .setServerConfig("listen_addresses", "localhost")
                .setServerConfig("password_encryption", "scram-sha-256")
                .setServerConfig("synchronous_commit", "on")
                // No Unix socket: every login goes through the password check above.
                .setServerConfig("unix_socket_directories", "")
                .setConnectConfig("password", password)
                // Spring stops it after the worker has marked its host offline; a JVM hook of
                // its own would race that and leave the worker waiting for a dead database.
                .setRegisterShutdownHook(false)
                .start();
      } catch (IOException e) {
        throw new UncheckedIOException("cannot start embedded PostgreSQL in " + pgData, e);
      }
      jdbcUrl = "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
      log.info("embedded PostgreSQL on port {} with data in {}", postgres.getPort(), pgData);
    }
    EmbeddedTemporal temporal = null;
    String target = temporalAddress;
    if (temporalAddress == null || temporalAddress.isBlank()) {
      temporal = EmbeddedTemporal.start(temporalPort);
      target = temporal.target();
      log.info("embedded Temporal service (in memory) on {}", target);
    }
    return new EmbeddedServices(postgres, temporal, jdbcUrl, target, password);
  }

  /** The embedded database's superuser, or null when the database is a configured one. */
  public String databaseUser() {
    return postgres == null ? null : EmbeddedDatabaseAccess.USER;
  }

  /** The embedded database's generated password, or null when the database is a configured one. */
  public String databasePassword() {
    return password;
  }

  /** The library's resolver, as a new object tied to {@code binaries}. */
  private static PgBinaryResolver ownResolver(Path binaries) {
    return (system, architecture) -> {
      log.debug("unpacking PostgreSQL {} {} under {}", system, architecture, binaries);
      return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
    };
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
