package dev.sandbar.api.testing;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A small HTTP client for the Sandbar API on a local port, as a caller uses it (bearer key, JSON
 * bodies); shared by the API's integration tests and the end-to-end tests (the api test-jar).
 */
public final class ApiClient {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder()
          .followRedirects(HttpClient.Redirect.NORMAL)
          .connectTimeout(Duration.ofSeconds(5))
          .build();

  private final String base;
  private final Duration requestTimeout;

  /** A client of the API at {@code 127.0.0.1:port} that waits {@code requestTimeout} per call. */
  public ApiClient(int port, Duration requestTimeout) {
    this.base = "http://127.0.0.1:" + port;
    this.requestTimeout = requestTimeout;
  }

  /** An answer of the API, whole. */
  public record Response(int status, String contentType, String body, HttpHeaders headers) {
    public JsonNode json() {
      return JSON.readTree(body);
    }

    /** The fields named in the problem's {@code errors}. */
    public List<String> invalidFields() {
      return json().path("errors").valueStream().map(e -> e.path("field").asString()).toList();
    }

    /** The {@code items} of a list answer, in order. */
    public List<JsonNode> items() {
      return json().path("items").valueStream().toList();
    }

    /** The value of {@code field} of each of the {@code items}, in order. */
    public List<String> itemValues(String field) {
      return items().stream().map(item -> item.path(field).asString()).toList();
    }
  }

  /** Sends {@code body} (JSON, or none when null) with {@code key} as bearer token (or none). */
  public Response send(
      String method, String path, String key, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create(base + path))
            .timeout(requestTimeout)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    if (key != null) {
      request.header("Authorization", "Bearer " + key);
    }
    headers.forEach(request::header);
    try {
      HttpResponse<String> response =
          HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
      return new Response(
          response.statusCode(),
          response.headers().firstValue("Content-Type").orElse(""),
          response.body(),
          response.headers());
    } catch (IOException e) {
      throw new AssertionError("request " + method + " " + path + " failed", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }
}
