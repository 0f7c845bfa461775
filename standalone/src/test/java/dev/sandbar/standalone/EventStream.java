package dev.sandbar.standalone;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A server-sent event stream of the API read as it arrives, one event at a time, the way a
 * browser's EventSource reads it.
 */
final class EventStream implements AutoCloseable {

  private static final JsonMapper JSON = JsonMapper.builder().build();
  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** One event: its name, id and JSON data. */
  record Event(String name, String id, JsonNode data) {}

  private final HttpResponse<InputStream> response;
  private final BufferedReader lines;

  private EventStream(HttpResponse<InputStream> response) {
    this.response = response;
    this.lines = new BufferedReader(new InputStreamReader(response.body(), StandardCharsets.UTF_8));
  }

  /** Opens the stream ({@code body} is JSON, or none when null). */
  static EventStream open(
      int port, String method, String path, String body, Map<String, String> headers) {
    HttpRequest.Builder request =
        HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
            .header("Accept", "text/event-stream")
            .header("Authorization", "Bearer " + SandbarTestSupport.API_KEY)
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      request.header("Content-Type", "application/json");
    }
    headers.forEach(request::header);
    try {
      return new EventStream(HTTP.send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  int status() {
    return response.statusCode();
  }

  String contentType() {
    return response.headers().firstValue("Content-Type").orElse("");
  }

  /** The whole body, for an answer that is not a stream (a problem). */
  String body() {
    try {
      return new String(response.body().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The next event, or null at the end of the stream. Comments are skipped. */
  Event next() {
    String name = "message";
    String id = null;
    StringBuilder data = new StringBuilder();
    try {
      String line;
      while ((line = lines.readLine()) != null) {
        if (line.isEmpty()) {
          if (data.length() > 0) {
            return new Event(name, id, JSON.readTree(data.toString()));
          }
          continue;
        }
        if (line.startsWith(":")) {
          continue;
        }
        int colon = line.indexOf(':');
        String field = colon < 0 ? line : line.substring(0, colon);
        String value = colon < 0 ? "" : line.substring(colon + 1).stripLeading();
        switch (field) {
          case "event" -> name = value;
          case "id" -> id = value;
          case "data" -> data.append(data.length() > 0 ? "\n" : "").append(value);
          default -> {}
        }
      }
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Every event up to the end of the stream. */
  List<Event> rest() {
    List<Event> events = new ArrayList<>();
    for (Event e = next(); e != null; e = next()) {
      events.add(e);
    }
    return events;
  }

  @Override
  public void close() {
    try {
      response.body().close();
    } catch (IOException e) {
      // Closing a stream the server already ended changes nothing.
    }
  }
}
