package dev.sandbar.api.files;

import dev.sandbar.store.host.HostDao;
import dev.sandbar.workflows.files.FileAccessException;
import dev.sandbar.workflows.files.FileAccessException.Reason;
import dev.sandbar.workflows.files.FileDownload;
import dev.sandbar.workflows.files.FileEntry;
import dev.sandbar.workflows.files.SandboxFiles;
import dev.sandbar.workflows.files.WorkerFilesProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.sqlobject.SqlObjectPlugin;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.core.Ordered;
import org.springframework.stereotype.Component;

/**
 * {@link SandboxFiles} of the hosts this process does not drive: an HTTP client of the files
 * endpoint each host's worker advertises in the read model ({@code SANDBAR_WORKER_FILES_PORT}),
 * speaking {@link WorkerFilesProtocol} with the deployment's shared token ({@code
 * SANDBAR_WORKER_TOKEN}). Bodies stream both ways; the worker's {@link FileAccessException}s come
 * back with their reasons, and a worker that cannot be reached is {@link Reason#UNAVAILABLE}.
 *
 * <p>Last in order: a process that drives a host's daemon itself (standalone) moves that host's
 * files directly.
 */
@Component
final class WorkerSandboxFiles implements SandboxFiles, Ordered {

  /** How long a call without a body to stream may wait for the worker's answer. */
  private static final Duration SHORT_CALL = Duration.ofMinutes(2);

  /** The most of a worker's error message that is read. */
  private static final int MAX_MESSAGE_BYTES = 8 * 1024;

  private final HostDao hosts;
  private final String token;
  private final long maxFileBytes;
  private final HttpClient http =
      HttpClient.newBuilder()
          .version(HttpClient.Version.HTTP_1_1)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  WorkerSandboxFiles(
      Jdbi jdbi,
      @Value("${sandbar.worker.token:${SANDBAR_WORKER_TOKEN:}}") String token,
      @Value("${sandbar.files.max-bytes:${SANDBAR_FILE_MAX_BYTES:1073741824}}") long maxBytes) {
    this.hosts = jdbi.installPlugin(new SqlObjectPlugin()).onDemand(HostDao.class);
    this.token = token.strip();
    this.maxFileBytes = maxBytes;
  }

  @Override
  public int getOrder() {
    return Ordered.LOWEST_PRECEDENCE;
  }

  /** A host whose worker advertises its files endpoint, when this API has the token for it. */
  @Override
  public boolean reaches(String hostId) {
    return !token.isEmpty() && hosts.servesFiles(hostId);
  }

  @Override
  public void upload(String sandboxId, String path, long size, InputStream content) {
    if (size > maxFileBytes) {
      throw new FileAccessException(
          Reason.TOO_LARGE,
          path + " has " + size + " bytes; files move up to " + maxFileBytes + " bytes");
    }
    HttpRequest request =
        request(sandboxId, WorkerFilesProtocol.FILES, path)
            .PUT(
                HttpRequest.BodyPublishers.fromPublisher(
                    HttpRequest.BodyPublishers.ofInputStream(() -> content), size))
            .build();
    expectNoContent(send(request, HttpResponse.BodyHandlers.ofInputStream()));
  }

  @Override
  public FileDownload download(String sandboxId, String path) {
    HttpResponse<InputStream> response =
        send(
            request(sandboxId, WorkerFilesProtocol.FILES, path).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw failure(response);
    }
    long size = response.headers().firstValueAsLong("Content-Length").orElse(0);
    String name =
        URLDecoder.decode(
            response.headers().firstValue(WorkerFilesProtocol.NAME_HEADER).orElse(""),
            StandardCharsets.UTF_8);
    return new FileDownload(name, size, response.body());
  }

  @Override
  public List<FileEntry> list(String sandboxId, String path) {
    HttpResponse<InputStream> response =
        send(
            request(sandboxId, WorkerFilesProtocol.LIST, path).timeout(SHORT_CALL).GET().build(),
            HttpResponse.BodyHandlers.ofInputStream());
    if (response.statusCode() != 200) {
      throw failure(response);
    }
    try (InputStream body = response.body()) {
      // The worker's listing is bounded (DockerSandboxFiles.MAX_LIST_BYTES), as the local one is.
      String text = new String(body.readAllBytes(), StandardCharsets.US_ASCII);
      return text.lines().filter(line -> !line.isBlank()).map(WorkerFilesProtocol::decode).toList();
    } catch (IOException e) {
      throw unreachable(e);
    }
  }

  @Override
  public void delete(String sandboxId, String path) {
    expectNoContent(
        send(
            request(sandboxId, WorkerFilesProtocol.FILES, path)
                .timeout(SHORT_CALL)
                .DELETE()
                .build(),
            HttpResponse.BodyHandlers.ofInputStream()));
  }

  @Override
  public void mkdir(String sandboxId, String path) {
    expectNoContent(
        send(
            request(sandboxId, WorkerFilesProtocol.MKDIR, path)
                .timeout(SHORT_CALL)
                .POST(HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofInputStream()));
  }

  /** Renames {@code source} to {@code destination} on the sandbox's host (E2B's Move). */
  @Override
  public void move(String sandboxId, String source, String destination) {
    HttpRequest request =
        HttpRequest.newBuilder(
                uri(
                    sandboxId,
                    WorkerFilesProtocol.MOVE,
                    WorkerFilesProtocol.query(sandboxId, source)
                        + "&"
                        + WorkerFilesProtocol.MOVE_TO
                        + "="
                        + URLEncoder.encode(destination, StandardCharsets.UTF_8)))
            .header("Authorization", "Bearer " + token)
            .timeout(SHORT_CALL)
            .POST(HttpRequest.BodyPublishers.noBody())
            .build();
    expectNoContent(send(request, HttpResponse.BodyHandlers.ofInputStream()));
  }

  /** A request to the endpoint of the sandbox's host, as the read model has it now. */
  private HttpRequest.Builder request(String sandboxId, String route, String path) {
    return HttpRequest.newBuilder(uri(sandboxId, route, WorkerFilesProtocol.query(sandboxId, path)))
        .header("Authorization", "Bearer " + token);
  }

  private URI uri(String sandboxId, String route, String query) {
    Optional<String> endpoint = hosts.filesEndpointOfSandbox(sandboxId);
    if (endpoint.isEmpty()) {
      throw new FileAccessException(
          Reason.UNAVAILABLE, "the host of sandbox " + sandboxId + " serves no files endpoint now");
    }
    return URI.create(endpoint.get() + route + "?" + query);
  }

  private <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return http.send(request, handler);
    } catch (IOException e) {
      throw unreachable(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new FileAccessException(Reason.UNAVAILABLE, "interrupted", e);
    }
  }

  private static void expectNoContent(HttpResponse<InputStream> response) {
    if (response.statusCode() != 204) {
      throw failure(response);
    }
    closeQuietly(response.body());
  }

  /** What the worker said went wrong, with its reason; an answer without one is unavailable. */
  private static FileAccessException failure(HttpResponse<InputStream> response) {
    String message;
    try (InputStream body = response.body()) {
      message = new String(body.readNBytes(MAX_MESSAGE_BYTES), StandardCharsets.UTF_8);
    } catch (IOException e) {
      message = "(no message: " + e.getMessage() + ")";
    }
    Optional<String> reason = response.headers().firstValue(WorkerFilesProtocol.REASON_HEADER);
    Reason known = reason.map(WorkerSandboxFiles::reasonNamed).orElse(null);
    if (known == null) {
      return new FileAccessException(
          Reason.UNAVAILABLE,
          "the host's worker answered " + response.statusCode() + ": " + message.strip());
    }
    return new FileAccessException(known, message);
  }

  private static Reason reasonNamed(String name) {
    try {
      return Reason.valueOf(name);
    } catch (IllegalArgumentException unknown) {
      return null;
    }
  }

  private static FileAccessException unreachable(IOException e) {
    String why = e instanceof ConnectException ? "is unreachable" : "failed mid-transfer";
    return new FileAccessException(
        Reason.UNAVAILABLE, "the worker of the sandbox's host " + why + ": " + e, e);
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // Nothing was left to read.
    }
  }
}
