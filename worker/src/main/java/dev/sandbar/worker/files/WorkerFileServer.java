package dev.sandbar.worker.files;

import com.sun.net.httpserver.HttpServer;
import dev.sandbar.workflows.files.SandboxFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The worker's files endpoint: serves its host's {@link SandboxFiles} over HTTP to the API of a
 * split deployment or of another host ({@code SANDBAR_WORKER_FILES_PORT}), so file bytes stream
 * from the API's request through this process to the Docker daemon and back, never through
 * Temporal. A plain JDK server on virtual threads: it must run in a worker that is no web
 * application, and its requests are few and long.
 *
 * <p>Only the API calls it, with the deployment's shared token ({@code SANDBAR_WORKER_TOKEN}); the
 * API checks the tenant and the path before it calls, so the token is the whole of the check here.
 */
public final class WorkerFileServer implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(WorkerFileServer.class);

  /** Fewer characters than this are too easy to guess for a secret that opens every sandbox. */
  static final int MIN_TOKEN_LENGTH = 16;

  private final @Nullable HttpServer server;
  private final @Nullable ExecutorService threads;
  private final @Nullable String url;

  private WorkerFileServer(
      @Nullable HttpServer server, @Nullable ExecutorService threads, @Nullable String url) {
    this.server = server;
    this.threads = threads;
    this.url = url;
  }

  /** A worker that serves no files: the API answers 501 for its host's sandboxes. */
  public static WorkerFileServer none() {
    return new WorkerFileServer(null, null, null);
  }

  /**
   * Starts serving.
   *
   * @param bindAddress the address to listen on; blank for every interface
   * @param port the port; 0 picks a free one
   * @param advertisedUrl how the API reaches this server; blank: {@code http://} the bind address
   *     (or this machine's host name when bound to every interface) and the port
   * @param token the shared secret every request must present
   */
  public static WorkerFileServer start(
      SandboxFiles files, String bindAddress, int port, String advertisedUrl, String token) {
    if (token == null || token.strip().length() < MIN_TOKEN_LENGTH) {
      throw new IllegalArgumentException(
          "SANDBAR_WORKER_FILES_PORT needs SANDBAR_WORKER_TOKEN, a secret of at least "
              + MIN_TOKEN_LENGTH
              + " characters that the API is given too");
    }
    try {
      InetSocketAddress address =
          bindAddress.isBlank()
              ? new InetSocketAddress(port)
              : new InetSocketAddress(InetAddress.getByName(bindAddress), port);
      HttpServer server = HttpServer.create(address, 0);
      ExecutorService threads = Executors.newVirtualThreadPerTaskExecutor();
      server.setExecutor(threads);
      server.createContext("/", new FileExchanges(files, token.strip()));
      server.start();
      int bound = server.getAddress().getPort();
      String url =
          advertisedUrl.isBlank()
              ? "http://"
                  + (bindAddress.isBlank()
                      ? InetAddress.getLocalHost().getHostName()
                      : bindAddress.strip())
                  + ":"
                  + bound
              : advertisedUrl.strip().replaceAll("/+$", "");
      log.info("serving sandbox files on port {} as {}", bound, url);
      return new WorkerFileServer(server, threads, url);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot serve files on port " + port, e);
    }
  }

  /** Where the API reaches this server; null when it serves nothing. */
  public @Nullable String url() {
    return url;
  }

  @Override
  public void close() {
    if (server != null) {
      server.stop(1);
    }
    if (threads != null) {
      threads.shutdownNow();
    }
  }
}
