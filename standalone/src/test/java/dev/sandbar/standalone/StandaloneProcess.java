package dev.sandbar.standalone;

import dev.sandbar.api.testing.ApiClient.Response;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.ProcessBuilder.Redirect;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * {@code bin/sandbar} as a process of its own (this JVM's class path, the launcher's main class),
 * on a data directory and a free port, so a test can kill it with SIGKILL as the kernel's OOM
 * killer or a person would. Its terminal output is kept in a file.
 */
final class StandaloneProcess {

  private final Process process;
  private final int port;
  private final Path console;

  private StandaloneProcess(Process process, int port, Path console) {
    this.process = process;
    this.port = port;
    this.console = console;
  }

  static StandaloneProcess start(Path dataDir, String hostId) throws IOException {
    int port = freePort();
    Path console = Files.createTempFile(dataDir.getParent(), "sandbar-console-", ".txt");
    String java = ProcessHandle.current().info().command().orElse("java");
    ProcessBuilder builder =
        new ProcessBuilder(
                java,
                "-cp",
                System.getProperty("java.class.path"),
                StandaloneApplication.class.getName(),
                "--sandbar.temporal.embedded-port=0",
                "--sandbar.worker.host-id=" + hostId)
            .redirectErrorStream(true)
            .redirectOutput(Redirect.appendTo(console.toFile()));
    Map<String, String> env = builder.environment();
    env.put("SANDBAR_DATA_DIR", dataDir.toString());
    env.put("SANDBAR_PORT", Integer.toString(port));
    env.put("SANDBAR_API_KEY", SandbarTestSupport.API_KEY);
    env.put("SANDBAR_ADMIN_KEY", SandbarTestSupport.ADMIN_KEY);
    return new StandaloneProcess(builder.start(), port, console);
  }

  SandbarTestSupport client() {
    return new SandbarTestSupport(port);
  }

  /** The answer, or null while the port is not open yet. */
  Response tryCall(String method, String path, String key) {
    try {
      return client().call(method, path, key, null, Map.of());
    } catch (AssertionError failed) {
      if (failed.getCause() instanceof ConnectException) {
        return null;
      }
      throw failed;
    }
  }

  boolean isAlive() {
    return process.isAlive();
  }

  String console() {
    try {
      return Files.readString(console, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** SIGKILL: no shutdown hook, no Spring shutdown, nothing the process can do about it. */
  void kill() throws InterruptedException {
    process.destroyForcibly();
    process.waitFor(30, TimeUnit.SECONDS);
  }

  /** SIGTERM, as Ctrl-C or a service manager stops it; answers the exit code. */
  int stop(Duration bound) throws InterruptedException {
    process.destroy();
    if (!process.waitFor(bound.toMillis(), TimeUnit.MILLISECONDS)) {
      throw new AssertionError("standalone process did not stop within " + bound);
    }
    return process.exitValue();
  }

  /** Processes whose working directory is the data directory's PostgreSQL data (its servers). */
  static List<ProcessHandle> postgresOf(Path dataDir) {
    Path pgData = dataDir.resolve("postgres");
    return ProcessHandle.allProcesses()
        .filter(p -> LeftoverPostmaster.isPostgresOf(p.pid(), pgData))
        .toList();
  }

  private static int freePort() throws IOException {
    try (ServerSocket socket = new ServerSocket(0)) {
      return socket.getLocalPort();
    }
  }
}
