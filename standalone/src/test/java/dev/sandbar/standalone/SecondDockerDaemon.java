package dev.sandbar.standalone;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.activities.container.DockerClients;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * The second Docker daemon of the multi-host tests, on this same machine (its own socket, data root
 * and bridge), started by {@code scripts/second-docker-host.sh}, which is idempotent: every test
 * JVM calls it once and a daemon already running is reused. Anything that keeps it from running
 * fails the test with the script's own explanation; these tests are never skipped.
 */
final class SecondDockerDaemon {

  private static final String SCRIPT = "scripts/second-docker-host.sh";

  private static URI socket;

  private SecondDockerDaemon() {}

  /** The daemon's endpoint ({@code unix:///…sock}), after making sure it runs and has the image. */
  static synchronized URI ensureRunning() {
    if (socket == null) {
      URI started = start();
      try (DockerClient client = connect(started)) {
        client.inspectImageCmd(DockerDaemonExtension.IMAGE).exec();
      } catch (NotFoundException missing) {
        throw new AssertionError(
            "the second Docker daemon at " + started + " has no " + DockerDaemonExtension.IMAGE,
            missing);
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
      socket = started;
    }
    return socket;
  }

  /** A client for the second daemon; the caller closes it. */
  static DockerClient connect(URI endpoint) {
    DockerClient client = DockerClients.create(endpoint);
    DockerClients.ping(client);
    return client;
  }

  private static URI start() {
    Path script = findScript();
    try {
      Process process =
          new ProcessBuilder("bash", script.toString()).redirectErrorStream(false).start();
      process.getOutputStream().close();
      // The script prints a few lines at most: reading both streams after it ends cannot block it.
      if (!process.waitFor(120, TimeUnit.SECONDS)) {
        process.destroyForcibly();
        throw new AssertionError(script + " did not finish within 120 s");
      }
      String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
      if (process.exitValue() != 0) {
        throw new AssertionError(
            "cannot start the second Docker daemon for the multi-host tests: "
                + script
                + " exited with "
                + process.exitValue()
                + "\n"
                + err
                + out);
      }
      String[] lines = out.strip().split("\n");
      return URI.create(lines[lines.length - 1].strip());
    } catch (IOException e) {
      throw new AssertionError("cannot run " + script + ": " + e.getMessage(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted while running " + script, e);
    }
  }

  /** The script in the repository, from the module directory Maven runs the tests in, or above. */
  private static Path findScript() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      Path candidate = dir.resolve(SCRIPT);
      if (Files.isRegularFile(candidate)) {
        return candidate;
      }
    }
    throw new AssertionError(
        SCRIPT
            + " not found above "
            + Path.of("").toAbsolutePath()
            + ": run the tests in the repo");
  }
}
