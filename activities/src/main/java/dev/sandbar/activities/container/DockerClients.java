package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.core.DefaultDockerClientConfig;
import com.github.dockerjava.core.DockerClientConfig;
import com.github.dockerjava.core.DockerClientImpl;
import com.github.dockerjava.httpclient5.ApacheDockerHttpClient;
import java.net.URI;
import java.time.Duration;

/** Builds docker-java clients over the Apache httpclient5 transport. */
public final class DockerClients {

  /** Where a Linux Docker daemon listens unless {@code DOCKER_HOST} says otherwise. */
  public static final URI DEFAULT_DOCKER_HOST = URI.create("unix:///var/run/docker.sock");

  /** A daemon that does not accept a connection within this is treated as down, not slow. */
  static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(5);

  /**
   * Bounds one request, so a hung daemon fails the activity attempt instead of pinning a worker
   * thread; long enough for a stop (10 s grace) or a force-remove of a large container.
   */
  public static final Duration DEFAULT_RESPONSE_TIMEOUT = Duration.ofMinutes(2);

  /** Connections to the daemon per client; {@link DockerExec} keeps half for attached execs. */
  static final int MAX_CONNECTIONS = 64;

  private DockerClients() {}

  /** {@code DOCKER_HOST} when set, else {@link #DEFAULT_DOCKER_HOST}. */
  public static URI dockerHostFromEnvironment() {
    String fromEnv = System.getenv("DOCKER_HOST");
    return fromEnv == null || fromEnv.isBlank() ? DEFAULT_DOCKER_HOST : URI.create(fromEnv.trim());
  }

  /** A client for {@link #dockerHostFromEnvironment()}. */
  public static DockerClient create() {
    return create(dockerHostFromEnvironment());
  }

  /** A client for the daemon at {@code dockerHost} ({@code unix://...} or {@code tcp://...}). */
  public static DockerClient create(URI dockerHost) {
    return create(dockerHost, DEFAULT_RESPONSE_TIMEOUT);
  }

  /**
   * A client whose requests give up after {@code responseTimeout}; streaming callers (logs, attach)
   * want a longer one than lifecycle calls.
   */
  public static DockerClient create(URI dockerHost, Duration responseTimeout) {
    // The default builder also reads DOCKER_TLS_VERIFY and DOCKER_CERT_PATH, so a TLS daemon
    // configured the usual way works without Sandbar-specific settings.
    DockerClientConfig config =
        DefaultDockerClientConfig.createDefaultConfigBuilder()
            .withDockerHost(dockerHost.toString())
            .build();
    ApacheDockerHttpClient http =
        new ApacheDockerHttpClient.Builder()
            .dockerHost(config.getDockerHost())
            .sslConfig(config.getSSLConfig())
            .maxConnections(MAX_CONNECTIONS)
            .connectionTimeout(CONNECT_TIMEOUT)
            .responseTimeout(responseTimeout)
            .build();
    return DockerClientImpl.getInstance(config, http);
  }

  /**
   * Checks that the daemon answers.
   *
   * @throws DockerOperationException carrying the reason when it does not
   */
  public static void ping(DockerClient client) {
    try {
      client.pingCmd().exec();
    } catch (RuntimeException e) {
      throw new DockerOperationException(
          "Docker daemon did not answer a ping: " + e.getMessage(), e);
    }
  }

  /** Whether the daemon answers a ping. */
  public static boolean isReachable(DockerClient client) {
    try {
      ping(client);
      return true;
    } catch (DockerOperationException e) {
      return false;
    }
  }
}
