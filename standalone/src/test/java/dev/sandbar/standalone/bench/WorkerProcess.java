package dev.sandbar.standalone.bench;

import dev.sandbar.standalone.EmbeddedServices;
import dev.sandbar.worker.WorkerApplication;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * A host worker as a process of its own, as a fleet runs it: {@link WorkerApplication} with the
 * JVM's defaults, joined to the benchmark's Temporal service and database, on the same Docker
 * daemon, registered with a label that create requests select it by. Its class path is this JVM's
 * without the API and standalone modules, so what it holds is the worker's alone.
 */
final class WorkerProcess implements AutoCloseable {

  private static final Pattern HEAP =
      Pattern.compile("heap\\s+total reserved \\d+K, committed (\\d+)K, used (\\d+)K");

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
    return WorkerMemoryScenario.rssMb(status());
  }

  /** The worker's live threads (platform threads; virtual ones are not counted by the kernel). */
  long threads() {
    return WorkerMemoryScenario.statusField(status(), "Threads:");
  }

  /**
   * Where the worker's memory is, as its JVM reports it ({@code jcmd <pid> GC.heap_info}): heap
   * committed and used, in MB; or why it could not be read.
   */
  Map<String, Object> heap() {
    Path jcmd =
        Path.of(ProcessHandle.current().info().command().orElse("java")).resolveSibling("jcmd");
    try {
      Process info =
          new ProcessBuilder(jcmd.toString(), Long.toString(process.pid()), "GC.heap_info")
              .redirectErrorStream(true)
              .start();
      String out = new String(info.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      info.waitFor(30, TimeUnit.SECONDS);
      Map<String, Object> heap = new LinkedHashMap<>();
      Matcher total = HEAP.matcher(out);
      if (!total.find()) {
        return Map.of("worker_heap", "unreadable GC.heap_info: " + out.strip());
      }
      heap.put("worker_heap_committed_mb", Long.parseLong(total.group(1)) / 1024);
      heap.put("worker_heap_used_mb", Long.parseLong(total.group(2)) / 1024);
      return heap;
    } catch (IOException e) {
      return Map.of("worker_heap", "jcmd failed: " + e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return Map.of("worker_heap", "interrupted");
    }
  }

  private Path status() {
    return Path.of("/proc", Long.toString(process.pid()), "status");
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
