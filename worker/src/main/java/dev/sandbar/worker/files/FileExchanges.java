package dev.sandbar.worker.files;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import dev.sandbar.workflows.files.FileAccessException;
import dev.sandbar.workflows.files.FileAccessException.Reason;
import dev.sandbar.workflows.files.FileDownload;
import dev.sandbar.workflows.files.FileEntry;
import dev.sandbar.workflows.files.SandboxFiles;
import dev.sandbar.workflows.files.WorkerFilesProtocol;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The requests of {@link WorkerFileServer}, as {@link WorkerFilesProtocol} defines them. */
final class FileExchanges implements HttpHandler {

  private static final Logger log = LoggerFactory.getLogger(FileExchanges.class);

  /** Sandbox ids as the API makes them; anything else cannot name one of our containers. */
  private static final Pattern SANDBOX_ID = Pattern.compile("[A-Za-z0-9_-]{1,128}");

  private final SandboxFiles files;
  private final byte[] expectedAuthorization;

  FileExchanges(SandboxFiles files, String token) {
    this.files = files;
    this.expectedAuthorization = ("Bearer " + token).getBytes(StandardCharsets.UTF_8);
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      if (!authorised(exchange)) {
        // Not drained: a stranger's body is not worth reading; the server drops the connection.
        send(
            exchange, 401, null, "the files endpoint answers only the API: missing or wrong token");
        return;
      }
      try {
        route(exchange);
      } catch (FileAccessException e) {
        drain(exchange);
        send(exchange, WorkerFilesProtocol.status(e.reason()), e.reason(), e.getMessage());
      } catch (RuntimeException e) {
        log.warn("files request {} failed", exchange.getRequestURI(), e);
        drain(exchange);
        send(exchange, 503, Reason.UNAVAILABLE, "the worker failed: " + e);
      }
    }
  }

  private void route(HttpExchange exchange) throws IOException {
    Map<String, String> query =
        WorkerFilesProtocol.parseQuery(exchange.getRequestURI().getRawQuery());
    String sandbox = query.getOrDefault("sandbox", "");
    String path = query.getOrDefault("path", "");
    if (!SANDBOX_ID.matcher(sandbox).matches()) {
      throw new FileAccessException(Reason.NOT_FOUND, "no sandbox " + sandbox);
    }
    requireNormalised(path);
    String route = exchange.getRequestMethod() + " " + exchange.getRequestURI().getPath();
    switch (route) {
      case "PUT " + WorkerFilesProtocol.FILES -> upload(exchange, sandbox, path);
      case "GET " + WorkerFilesProtocol.FILES -> download(exchange, sandbox, path);
      case "GET " + WorkerFilesProtocol.LIST -> list(exchange, sandbox, path);
      case "DELETE " + WorkerFilesProtocol.FILES -> {
        files.delete(sandbox, path);
        send(exchange, 204, null, null);
      }
      case "POST " + WorkerFilesProtocol.MKDIR -> {
        files.mkdir(sandbox, path);
        send(exchange, 204, null, null);
      }
      case "POST " + WorkerFilesProtocol.MOVE -> {
        String destination = query.getOrDefault(WorkerFilesProtocol.MOVE_TO, "");
        requireNormalised(destination);
        files.move(sandbox, path, destination);
        send(exchange, 204, null, null);
      }
      default -> {
        drain(exchange);
        send(exchange, 404, null, "no route " + route);
      }
    }
  }

  /** The API validated the path; this only keeps a caller with the token inside absolute paths. */
  private static void requireNormalised(String path) {
    if (!path.startsWith("/") || path.indexOf('\0') >= 0 || (path + "/").contains("/../")) {
      throw new FileAccessException(Reason.INVALID_PATH, "not an absolute, normalised path");
    }
  }

  private void upload(HttpExchange exchange, String sandbox, String path) throws IOException {
    String length = exchange.getRequestHeaders().getFirst("Content-Length");
    long size;
    try {
      size = Long.parseLong(length == null ? "" : length.strip());
    } catch (NumberFormatException e) {
      throw new FileAccessException(Reason.SHORT_BODY, "an upload declares its Content-Length");
    }
    files.upload(sandbox, path, size, exchange.getRequestBody());
    send(exchange, 204, null, null);
  }

  private void download(HttpExchange exchange, String sandbox, String path) throws IOException {
    try (FileDownload file = files.download(sandbox, path)) {
      exchange.getResponseHeaders().set("Content-Type", "application/octet-stream");
      exchange
          .getResponseHeaders()
          .set(
              WorkerFilesProtocol.NAME_HEADER,
              URLEncoder.encode(file.name(), StandardCharsets.UTF_8));
      // The JDK server reads a length of 0 as "chunked" and -1 as "no body".
      exchange.sendResponseHeaders(200, file.size() == 0 ? -1 : file.size());
      try (OutputStream out = exchange.getResponseBody()) {
        file.content().transferTo(out);
      }
    }
  }

  private void list(HttpExchange exchange, String sandbox, String path) throws IOException {
    List<FileEntry> entries = files.list(sandbox, path);
    StringBuilder text = new StringBuilder();
    entries.forEach(entry -> text.append(WorkerFilesProtocol.encode(entry)));
    byte[] body = text.toString().getBytes(StandardCharsets.US_ASCII);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=us-ascii");
    exchange.sendResponseHeaders(200, body.length == 0 ? -1 : body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }

  private boolean authorised(HttpExchange exchange) {
    String given = exchange.getRequestHeaders().getFirst("Authorization");
    return given != null
        && MessageDigest.isEqual(expectedAuthorization, given.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Reads what is left of a refused request's body, so the API, still sending it, sees the answer
   * rather than a reset connection.
   */
  private static void drain(HttpExchange exchange) {
    try (InputStream body = exchange.getRequestBody()) {
      body.transferTo(OutputStream.nullOutputStream());
    } catch (IOException e) {
      // The caller went away; there is nobody to answer.
    }
  }

  private static void send(HttpExchange exchange, int status, Reason reason, String message)
      throws IOException {
    if (exchange.getResponseCode() != -1) {
      // A download failed after its headers went out: closing the exchange cuts the body short,
      // which is all the API can be told.
      return;
    }
    if (reason != null) {
      exchange.getResponseHeaders().set(WorkerFilesProtocol.REASON_HEADER, reason.name());
    }
    if (message == null) {
      exchange.sendResponseHeaders(status, -1);
      return;
    }
    byte[] body = message.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=utf-8");
    exchange.sendResponseHeaders(status, body.length);
    try (OutputStream out = exchange.getResponseBody()) {
      out.write(body);
    }
  }
}
