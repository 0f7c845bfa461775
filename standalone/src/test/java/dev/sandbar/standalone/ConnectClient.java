package dev.sandbar.standalone;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A Connect client with JSON, speaking E2B's in-sandbox protocol to {@code /e2b/sandbox} the way
 * connect-web does: unary calls as {@code application/json}, server-streaming calls as one
 * enveloped message answered by a stream of envelopes read as they arrive.
 */
final class ConnectClient {

  static final JsonMapper JSON = JsonMapper.builder().build();

  private static final HttpClient HTTP =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  /** A unary answer: its HTTP status and JSON body. */
  record Answer(int status, JsonNode body) {}

  /** One envelope of a stream: its flags (0x02 ends the stream) and JSON. */
  record Frame(int flags, JsonNode message) {
    boolean isEnd() {
      return (flags & 0x02) != 0;
    }
  }

  private final int port;
  private final String sandboxId;
  private final String token;

  ConnectClient(int port, String sandboxId, String token) {
    this.port = port;
    this.sandboxId = sandboxId;
    this.token = token;
  }

  ConnectClient withToken(String other) {
    return new ConnectClient(port, sandboxId, other);
  }

  ConnectClient forSandbox(String other) {
    return new ConnectClient(port, other, token);
  }

  Answer unary(String call, String json) {
    HttpRequest request =
        base(call)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(json))
            .build();
    HttpResponse<String> response = send(request, HttpResponse.BodyHandlers.ofString());
    return new Answer(response.statusCode(), JSON.readTree(response.body()));
  }

  Stream stream(String call, String json, Map<String, String> headers) {
    byte[] body = json.getBytes(StandardCharsets.UTF_8);
    ByteBuffer envelope = ByteBuffer.allocate(5 + body.length);
    envelope.put((byte) 0).putInt(body.length).put(body);
    HttpRequest.Builder request =
        base(call)
            .header("Content-Type", "application/connect+json")
            .POST(HttpRequest.BodyPublishers.ofByteArray(envelope.array()));
    headers.forEach(request::header);
    return new Stream(send(request.build(), HttpResponse.BodyHandlers.ofInputStream()));
  }

  /** A GET or POST of {@code /e2b/sandbox/files} with this client's headers. */
  HttpRequest.Builder files(String query) {
    return get("/files?" + query);
  }

  /** A request to {@code path} under {@code /e2b/sandbox}, with this client's headers. */
  HttpRequest.Builder get(String path) {
    return HttpRequest.newBuilder(URI.create(base() + path))
        .header("E2b-Sandbox-Id", sandboxId)
        .header("X-Access-Token", token)
        .timeout(Duration.ofMinutes(2));
  }

  static <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> handler) {
    try {
      return HTTP.send(request, handler);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  private String base() {
    return "http://127.0.0.1:" + port + "/e2b/sandbox";
  }

  private HttpRequest.Builder base(String call) {
    return HttpRequest.newBuilder(URI.create(base() + "/" + call))
        .header("E2b-Sandbox-Id", sandboxId)
        .header("X-Access-Token", token)
        .header("Connect-Protocol-Version", "1")
        .timeout(Duration.ofMinutes(2));
  }

  /** A server stream, read one envelope at a time. */
  static final class Stream implements AutoCloseable {
    private final HttpResponse<InputStream> response;
    private final DataInputStream in;

    Stream(HttpResponse<InputStream> response) {
      this.response = response;
      this.in = new DataInputStream(response.body());
    }

    int status() {
      return response.statusCode();
    }

    String contentType() {
      return response.headers().firstValue("Content-Type").orElse("");
    }

    Frame next() {
      try {
        int flags = in.readUnsignedByte();
        int length = in.readInt();
        byte[] body = in.readNBytes(length);
        if (body.length < length) {
          throw new EOFException("envelope cut short");
        }
        return new Frame(flags, JSON.readTree(body));
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }

    /** Every frame up to and including the end of the stream. */
    List<Frame> rest() {
      List<Frame> frames = new ArrayList<>();
      while (true) {
        Frame frame = next();
        frames.add(frame);
        if (frame.isEnd()) {
          return frames;
        }
      }
    }

    @Override
    public void close() {
      try {
        in.close();
      } catch (IOException e) {
        // Closing is how a test disconnects; nothing to do.
      }
    }
  }
}
