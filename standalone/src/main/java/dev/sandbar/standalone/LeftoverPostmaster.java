package dev.sandbar.standalone;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@code postmaster.pid} a previous standalone process left in the data directory, handled the
 * way PostgreSQL's own tools do before the embedded server starts: a lock file whose pid is not
 * alive, or is alive but not a postgres of this data directory (the pid was reused after a reboot),
 * is stale and removed; a postgres of this data directory that outlived its Sandbar process is
 * stopped (fast shutdown, then immediate), so the new process starts its own on the same data.
 */
final class LeftoverPostmaster {

  private static final Logger log = LoggerFactory.getLogger(LeftoverPostmaster.class);

  static final String PID_FILE = "postmaster.pid";

  /** The embedded library's own lock file in the data directory. */
  private static final String OWNER_LOCK = "epg-lock";

  private static final Duration FAST_SHUTDOWN = Duration.ofSeconds(30);
  private static final Duration IMMEDIATE_SHUTDOWN = Duration.ofSeconds(15);

  private LeftoverPostmaster() {}

  /**
   * Leaves {@code pgData} with no lock file and no server running on it; refuses when a live
   * process still owns the data directory (a second {@code bin/sandbar} on the same one).
   */
  static void clear(Path pgData) {
    requireNoLiveOwner(pgData);
    Optional<Long> pid = lockingPid(pgData);
    if (pid.isEmpty()) {
      return;
    }
    Optional<ProcessHandle> process = ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive);
    if (process.isPresent() && isPostgresOf(pid.get(), pgData)) {
      log.warn(
          "stopping the embedded PostgreSQL (pid {}) that a previous Sandbar process left running"
              + " on {}",
          pid.get(),
          pgData);
      stop(process.get());
      // A postmaster that shut down removed its lock file; one that was killed did not.
    } else {
      log.info(
          "removing the stale lock file {} (pid {} is {})",
          pgData.resolve(PID_FILE),
          pid.get(),
          process.isPresent() ? "another program" : "not running");
    }
    try {
      Files.deleteIfExists(pgData.resolve(PID_FILE));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove " + pgData.resolve(PID_FILE), e);
    }
  }

  /**
   * The embedded library holds an exclusive lock on {@code epg-lock} for as long as its process
   * lives; the kernel releases it when the process dies however it dies. A server whose owner holds
   * it is in use, not left over.
   */
  private static void requireNoLiveOwner(Path pgData) {
    Path ownerLock = pgData.resolve(OWNER_LOCK);
    if (!Files.exists(ownerLock)) {
      return;
    }
    try (FileChannel channel = FileChannel.open(ownerLock, StandardOpenOption.WRITE)) {
      FileLock lock = channel.tryLock();
      if (lock != null) {
        lock.release();
        return;
      }
    } catch (OverlappingFileLockException heldHere) {
      // Held by this very process: in use just the same.
    } catch (IOException e) {
      throw new UncheckedIOException("cannot check " + ownerLock, e);
    }
    throw new IllegalStateException(
        "the data directory "
            + pgData.getParent()
            + " is in use by another running Sandbar process; stop it first or set"
            + " SANDBAR_DATA_DIR to another directory");
  }

  /** The pid on the first line of the lock file, if there is a lock file that names one. */
  static Optional<Long> lockingPid(Path pgData) {
    try {
      List<String> lines = Files.readAllLines(pgData.resolve(PID_FILE), StandardCharsets.UTF_8);
      return lines.isEmpty() ? Optional.empty() : Optional.of(Long.parseLong(lines.get(0).strip()));
    } catch (NoSuchFileException absent) {
      return Optional.empty();
    } catch (NumberFormatException garbled) {
      // A file cut short by a power loss: no server can hold it.
      return Optional.of(-1L);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + pgData.resolve(PID_FILE), e);
    }
  }

  /**
   * Whether {@code pid} is a postgres server whose working directory is {@code pgData}: the
   * postmaster changes into its data directory, so this holds for it (and its children) alone.
   */
  static boolean isPostgresOf(long pid, Path pgData) {
    Path proc = Path.of("/proc", Long.toString(pid));
    try {
      String command = Files.readString(proc.resolve("comm"), StandardCharsets.UTF_8).strip();
      return command.startsWith("postgres")
          && Files.readSymbolicLink(proc.resolve("cwd")).equals(pgData.toRealPath());
    } catch (IOException gone) {
      return false;
    }
  }

  private static void stop(ProcessHandle postmaster) {
    // SIGINT is PostgreSQL's fast shutdown (sessions ended, checkpoint written); SIGQUIT its
    // immediate one (crash recovery at the next start). Either leaves the data consistent.
    signal(postmaster.pid(), "INT");
    if (awaitExit(postmaster, FAST_SHUTDOWN)) {
      return;
    }
    log.warn("PostgreSQL (pid {}) ignored a fast shutdown; shutting it down now", postmaster.pid());
    signal(postmaster.pid(), "QUIT");
    if (!awaitExit(postmaster, IMMEDIATE_SHUTDOWN)) {
      throw new IllegalStateException(
          "the PostgreSQL server (pid "
              + postmaster.pid()
              + ") left by a previous Sandbar process does not stop; stop it and start again");
    }
  }

  private static void signal(long pid, String signal) {
    try {
      Process kill = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start();
      kill.waitFor();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot signal PostgreSQL (pid " + pid + ")", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping PostgreSQL", e);
    }
  }

  private static boolean awaitExit(ProcessHandle process, Duration bound) {
    try {
      process.onExit().get(bound.toMillis(), java.util.concurrent.TimeUnit.MILLISECONDS);
      return true;
    } catch (java.util.concurrent.TimeoutException stillAlive) {
      return false;
    } catch (java.util.concurrent.ExecutionException e) {
      return !process.isAlive();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while stopping PostgreSQL", e);
    }
  }
}
