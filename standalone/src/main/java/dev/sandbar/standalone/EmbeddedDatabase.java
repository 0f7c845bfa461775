package dev.sandbar.standalone;

import dev.sandbar.activities.archive.PrivateFiles;
import io.zonky.test.db.postgres.embedded.DefaultPostgresBinaryResolver;
import io.zonky.test.db.postgres.embedded.EmbeddedPostgres;
import io.zonky.test.db.postgres.embedded.PgBinaryResolver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Standalone mode's PostgreSQL: data under {@code <data dir>/postgres}, binaries unpacked under the
 * data directory, its output in {@code <data dir>/logs/postgres.log}. It never outlives the process
 * that started it: a normal stop stops it, and a watchdog process stops it when this process dies
 * any other way (kill -9, OOM); a server or lock file that survived anyway (power loss, a watchdog
 * killed too) is dealt with at the next start by {@link LeftoverPostmaster}.
 */
final class EmbeddedDatabase implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(EmbeddedDatabase.class);

  /**
   * Waits for end of input, which comes when the process holding the pipe's other end exits however
   * it exits, then asks the postmaster for a fast shutdown. It ignores the signals a terminal's
   * Ctrl-C sends the whole process group, so a normal stop stays in Sandbar's hands.
   */
  private static final String WATCHDOG =
      "trap '' INT TERM HUP QUIT; while read -r _; do :; done; kill -INT \"$1\" 2>/dev/null";

  private final EmbeddedPostgres postgres;
  private final Process watchdog;
  private final String password;

  private EmbeddedDatabase(EmbeddedPostgres postgres, Process watchdog, String password) {
    this.postgres = postgres;
    this.watchdog = watchdog;
    this.password = password;
  }

  static EmbeddedDatabase start(Path dataDir) {
    Path pgData = dataDir.resolve("postgres");
    // Unpacked here rather than in a shared /tmp folder another user could have prepared.
    // The library makes its working directory group- and world-writable, so it goes one level
    // below a private one.
    Path binaries = dataDir.resolve("postgres-binaries").resolve("unpacked");
    Path logFile = logFile(dataDir);
    try {
      PrivateFiles.createDirectories(pgData);
      PrivateFiles.createDirectories(binaries);
      PrivateFiles.createDirectories(logFile.getParent());
      LeftoverPostmaster.clear(pgData);
      EmbeddedDatabaseAccess access =
          EmbeddedDatabaseAccess.of(binaries, dataDir.resolve("postgres-password"));
      EmbeddedPostgres postgres =
          EmbeddedPostgres.builder()
              .setDataDirectory(pgData)
              .setCleanDataDirectory(false)
              .setOverrideWorkingDirectory(binaries.toFile())
              // The library keeps the first place it unpacked to per resolver for the whole JVM;
              // a resolver of this data directory's own makes it unpack here.
              .setPgBinaryResolver(ownResolver(binaries))
              .setDataDirectoryCustomizer(access::secure)
              // The server's chatter is for the log file, not the person at the terminal.
              .setOutputRedirector(Redirect.appendTo(logFile.toFile()))
              .setErrorRedirector(Redirect.appendTo(logFile.toFile()))
              .setServerConfig("listen_addresses", "localhost")
              .setServerConfig("password_encryption", "scram-sha-256")
              .setServerConfig("synchronous_commit", "on")
              // No Unix socket: every login goes through the password check above.
              .setServerConfig("unix_socket_directories", "")
              .setConnectConfig("password", access.password())
              // Spring stops it after the worker has marked its host offline; a JVM hook of
              // its own would race that and leave the worker waiting for a dead database.
              .setRegisterShutdownHook(false)
              .start();
      Process watchdog;
      try {
        watchdog = watchdog(postmasterPid(pgData), logFile);
      } catch (IOException | RuntimeException e) {
        postgres.close();
        throw e;
      }
      log.info("embedded PostgreSQL on port {} with data in {}", postgres.getPort(), pgData);
      return new EmbeddedDatabase(postgres, watchdog, access.password());
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot start embedded PostgreSQL in " + pgData + " (its log: " + logFile + ")", e);
    }
  }

  static Path logFile(Path dataDir) {
    return dataDir.resolve("logs").resolve("postgres.log");
  }

  String jdbcUrl() {
    return "jdbc:postgresql://localhost:" + postgres.getPort() + "/postgres";
  }

  String password() {
    return password;
  }

  @Override
  public void close() throws IOException {
    // The watchdog goes first: once the server is down its pid may be another process's.
    watchdog.destroyForcibly();
    try {
      watchdog.waitFor(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    postgres.close();
  }

  private static long postmasterPid(Path pgData) {
    return LeftoverPostmaster.lockingPid(pgData)
        .filter(pid -> pid > 0)
        .orElseThrow(
            () -> new IllegalStateException("PostgreSQL started but wrote no postmaster.pid"));
  }

  private static Process watchdog(long postmasterPid, Path logFile) throws IOException {
    return new ProcessBuilder(
            "sh", "-c", WATCHDOG, "sandbar-postgres-watchdog", Long.toString(postmasterPid))
        .redirectOutput(Redirect.appendTo(logFile.toFile()))
        .redirectError(Redirect.appendTo(logFile.toFile()))
        .start();
  }

  /** The library's resolver, as a new object tied to {@code binaries}. */
  private static PgBinaryResolver ownResolver(Path binaries) {
    return (system, architecture) -> {
      log.debug("unpacking PostgreSQL {} {} under {}", system, architecture, binaries);
      return DefaultPostgresBinaryResolver.INSTANCE.getPgBinary(system, architecture);
    };
  }
}
