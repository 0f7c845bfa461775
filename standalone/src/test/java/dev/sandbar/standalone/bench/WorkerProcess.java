package dev.sandbar.standalone.bench;

import dev.sandbar.standalone.EmbeddedServices;
import dev.sandbar.worker.WorkerApplication;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A host worker as a process of its own, as a fleet runs it: {@link WorkerApplication} with the
 * JVM's defaults, joined to the benchmark's Temporal service and database, on the same Docker
 * daemon, registered with a label that create requests select it by. Its class path is this JVM's
 * without the API and standalone modules, so what it holds is the worker's alone.
 */
final class WorkerProcess implements AutoCloseable {

  private final Process process;
  private final Path log;

  private WorkerProcess(Process process, Path log) {
    this.process = process;
    this.log = log;
  }

  static WorkerProcess start(EmbeddedServices services, String hostId, String label, Path dir) {
    try {
      Files.createDirectories(dir);
      Path log = dir.resolve("worker-" + hostId + ".log");
      String java = ProcessHandle.current().info().command().orElse("java");
      ProcessBuilder builder =
          new ProcessBuilder(
                  java,
                  "-cp",
                  workerClassPath(),
                  WorkerApplication.class.getName(),
                  "--sandbar.worker.host-id=" + hostId,
                  "--sandbar.worker.labels=" + label,
                  "--sandbar.worker.cpu-overcommit=8",
                  "--sandbar.reconcile.enabled=false",
                  "--sandbar.temporal.address=" + services.temporalTarget(),
                  "--sandbar.data-dir=" + dir)
              .redirectErrorStream(true)
              .redirectOutput(Redirect.appendTo(log.toFile()));
      Map<String, String> env = builder.environment();
      env.put("SANDBAR_DB_URL", services.jdbcUrl());
      env.put("SANDBAR_DB_USER", services.databaseUser());
      env.put("SANDBAR_DB_PASSWORD", services.databasePassword());
      return new WorkerProcess(builder.start(), log);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** This JVM's class path minus the API's and the standalone module's own classes. */
  private static String workerClassPath() {
    List<String> entries =
        Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .filter(entry -> !entry.matches(".*[/\\\\](api|standalone)[/\\\\]target[/\\\\].*"))
            .filter(entry -> !entry.matches(".*[/\\\\](api|standalone)-[^/\\\\]*\\.jar"))
            .toList();
    return entries.stream().collect(Collectors.joining(File.pathSeparator));
  }

  boolean isAlive() {
    return process.isAlive();
  }

  /** VmRSS of the worker process. */
  double rssMb() {
    return WorkerMemoryScenario.rssMb(Path.of("/proc", Long.toString(process.pid()), "status"));
  }

  String logTail() {
    try {
      List<String> lines = Files.readAllLines(log);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "no log: " + e;
    }
  }

  /** SIGTERM, as a service manager stops it, then SIGKILL if it does not stop in time. */
  @Override
  public void close() {
    process.destroy();
    try {
      if (!process.waitFor(60, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      }
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      process.destroyForcibly();
    }
  }
}
