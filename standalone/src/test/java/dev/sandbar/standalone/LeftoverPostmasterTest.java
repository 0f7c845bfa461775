package dev.sandbar.standalone;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What the previous process left in the data directory never stops the embedded PostgreSQL from
 * starting: a server still running on the data (its Sandbar process killed, its watchdog too) is
 * stopped, and a lock file whose pid is dead or belongs to another program is removed.
 */
class LeftoverPostmasterTest {

  @Test
  void aServerLeftRunningOnTheDataDirectoryIsStoppedAndTheDatabaseStarts() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-leftover-");
    start(dataDir).close();
    Process orphan = startServerByHand(dataDir);
    try {
      awaitLockFile(dataDir, orphan.pid());

      try (EmbeddedServices services = start(dataDir)) {
        assertThat(orphan.waitFor(1, TimeUnit.MINUTES)).as("the leftover server stopped").isTrue();
        assertAnswers(services);
      }
      assertThat(StandaloneProcess.postgresOf(dataDir)).isEmpty();
    } finally {
      orphan.destroyForcibly();
    }
  }

  @Test
  void aLockFileOfAnotherLiveProgramOrADeadPidIsStale() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-leftover-");
    start(dataDir).close();
    Path lock = dataDir.resolve("postgres").resolve(LeftoverPostmaster.PID_FILE);

    // After a power loss the pid may be another program's now, such as this test's JVM.
    Files.writeString(lock, ProcessHandle.current().pid() + "\n" + dataDir + "\n");
    try (EmbeddedServices services = start(dataDir)) {
      assertAnswers(services);
    }
    Process done = new ProcessBuilder("true").start();
    done.waitFor();
    Files.writeString(lock, done.pid() + "\n" + dataDir + "\n");
    try (EmbeddedServices services = start(dataDir)) {
      assertAnswers(services);
    }
    assertThat(ProcessHandle.current().isAlive()).isTrue();
  }

  @Test
  void aDataDirectoryInUseByALiveProcessIsLeftAlone() throws Exception {
    Path dataDir = Files.createTempDirectory("sandbar-leftover-");
    try (EmbeddedServices running = start(dataDir)) {
      assertThatThrownBy(() -> start(dataDir))
          .isInstanceOf(IllegalStateException.class)
          .hasMessageContaining("in use by another running Sandbar process");
      assertAnswers(running);
    }
  }

  private static EmbeddedServices start(Path dataDir) {
    // A configured Temporal address: these tests need the database only.
    return EmbeddedServices.start(dataDir, "", "127.0.0.1:1", 0);
  }

  private static void assertAnswers(EmbeddedServices services) throws Exception {
    try (Connection connection =
        DriverManager.getConnection(
            services.jdbcUrl(), services.databaseUser(), services.databasePassword())) {
      assertThat(connection.isValid(5)).isTrue();
    }
  }

  /** A postgres on the data directory that no Sandbar process owns, as a killed one leaves. */
  private static Process startServerByHand(Path dataDir) throws IOException {
    List<String> command = new ArrayList<>();
    if (Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"))) {
      command.addAll(List.of("unshare", "-U"));
    }
    command.addAll(
        List.of(
            postgresBinary(dataDir).toString(),
            "-D",
            dataDir.resolve("postgres").toString(),
            "-p",
            Integer.toString(freePort()),
            "-c",
            "listen_addresses=localhost",
            "-c",
            "unix_socket_directories="));
    return new ProcessBuilder(command)
        .redirectErrorStream(true)
        .redirectOutput(dataDir.resolve("orphan.log").toFile())
        .start();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }

  private static Path postgresBinary(Path dataDir) throws IOException {
    Path unpacked = dataDir.resolve("postgres-binaries").resolve("unpacked");
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(unpacked, "PG-*")) {
      for (Path dir : dirs) {
        return dir.resolve("bin").resolve("postgres");
      }
    }
    throw new AssertionError("no binaries under " + unpacked);
  }

  private static void awaitLockFile(Path dataDir, long pid) throws Exception {
    Path pgData = dataDir.resolve("postgres");
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!LeftoverPostmaster.lockingPid(pgData).equals(java.util.Optional.of(pid))
        || !LeftoverPostmaster.isPostgresOf(pid, pgData)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(
            "the hand-started server never ran: "
                + Files.readString(dataDir.resolve("orphan.log")));
      }
      Thread.sleep(50);
    }
  }
}
