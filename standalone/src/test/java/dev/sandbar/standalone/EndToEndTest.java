package dev.sandbar.standalone;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.testing.DockerDaemonExtension;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

/**
 * Base of the end-to-end tests: the whole standalone system in this JVM (embedded Temporal and
 * PostgreSQL, the API on a random port, one worker) against the real Docker daemon. Spring caches
 * the context, so every test class shares one system.
 */
@SpringBootTest(
    classes = StandaloneApplication.class,
    webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
    properties = {
      "sandbar.api-key=" + SandbarTestSupport.API_KEY,
      "sandbar.admin-key=" + SandbarTestSupport.ADMIN_KEY,
      "sandbar.temporal.embedded-port=0",
      "sandbar.worker.host-id=e2e",
      "sandbar.exec.stall-seconds=2",
      // Networks go with their last sandbox: many test systems share one daemon's address pools.
      "sandbar.worker.network-idle-seconds=0",
      "server.address=127.0.0.1"
    })
@ExtendWith(DockerDaemonExtension.class) // before the system starts: fails loudly without Docker
abstract class EndToEndTest {

  private static final Path DATA_DIR = tempDir();

  @LocalServerPort int port;
  @Autowired DockerClient docker;

  SandbarTestSupport api;

  @DynamicPropertySource
  static void dataDir(DynamicPropertyRegistry registry) {
    registry.add("sandbar.data-dir", DATA_DIR::toString);
  }

  @BeforeEach
  void client() {
    api = new SandbarTestSupport(port);
  }

  private static Path tempDir() {
    try {
      return Files.createTempDirectory("sandbar-e2e-");
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
