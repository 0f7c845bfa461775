package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.problem.ApiProblem;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.InputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Serves Connect calls with JSON as E2B's SDK makes them (connect-web, {@code useBinaryFormat:
 * false}): a unary call is a POST of {@code application/json} answered by the message or by an
 * error {@code {"code", "message"}} with the code's HTTP status; a server-streaming call is a POST
 * of {@code application/connect+json} holding one enveloped message, answered 200 with a {@link
 * ConnectStream}. Every call is authorised first ({@link EnvdAccess}); every failure, the native
 * API's problems included, becomes a Connect error.
 */
@Component
class ConnectRpc {

  private static final Logger log = LoggerFactory.getLogger(ConnectRpc.class);

  /** Largest request message: a stdin write of 64 KiB is about 88 KB of JSON. */
  static final int MAX_MESSAGE_BYTES = 1024 * 1024;

  /** A unary call's work: the answer message for the caller's request. */
  interface Unary {
    Object answer(EnvdCaller caller, JsonNode request);
  }

  /** A streaming call's work: sends its messages; returning ends the stream without error. */
  interface Streaming {
    void run(EnvdCaller caller, JsonNode request, ConnectStream stream) throws IOException;
  }

  private final EnvdAccess access;
  private final JsonMapper json;

  ConnectRpc(EnvdAccess access, JsonMapper json) {
    this.access = access;
    this.json = json;
  }

  void unary(HttpServletRequest request, HttpServletResponse response, Unary call)
      throws IOException {
    Object answer;
    try {
      EnvdCaller caller = access.authorize(request);
      answer = call.answer(caller, parse(readAll(request.getInputStream())));
    } catch (RuntimeException e) {
      ConnectException error = asConnect(e);
      response.setStatus(error.code().httpStatus());
      response.setContentType("application/json");
      response
          .getOutputStream()
          .write(
              json.writeValueAsBytes(
                  Map.of("code", error.code().wire(), "message", error.getMessage())));
      return;
    }
    response.setStatus(200);
    response.setContentType("application/json");
    response.getOutputStream().write(json.writeValueAsBytes(answer));
  }

  void serverStreaming(HttpServletRequest request, HttpServletResponse response, Streaming call)
      throws IOException {
    response.setStatus(200);
    response.setContentType(ConnectStream.CONTENT_TYPE);
    ConnectStream stream = new ConnectStream(response.getOutputStream(), json);
    try {
      EnvdCaller caller = access.authorize(request);
      call.run(caller, readEnvelope(request.getInputStream()), stream);
      stream.end(null);
    } catch (RuntimeException e) {
      stream.end(asConnect(e));
    } catch (IOException gone) {
      // The client went away; whatever the call started goes on without it.
      log.debug("an in-sandbox stream ended early: {}", gone.toString());
    }
  }

  /** Answers a call Sandbar does not serve, in the form of its kind, naming it. */
  void unimplemented(
      HttpServletRequest request, HttpServletResponse response, String call, String why)
      throws IOException {
    Unary refuse =
        (caller, message) -> {
          throw ConnectException.unimplemented(call, why);
        };
    String type = request.getContentType();
    if (type != null && type.startsWith("application/connect+")) {
      serverStreaming(
          request, response, (caller, message, stream) -> refuse.answer(caller, message));
    } else {
      unary(request, response, refuse);
    }
  }

  private JsonNode readEnvelope(InputStream in) throws IOException {
    byte[] prefix = in.readNBytes(5);
    if (prefix.length < 5) {
      throw ConnectException.invalid("the request holds no enveloped message");
    }
    if ((prefix[0] & 0x01) != 0) {
      throw ConnectException.invalid("compressed messages are not supported");
    }
    long length =
        ((prefix[1] & 0xffL) << 24)
            | ((prefix[2] & 0xff) << 16)
            | ((prefix[3] & 0xff) << 8)
            | (prefix[4] & 0xff);
    if (length > MAX_MESSAGE_BYTES) {
      throw ConnectException.invalid("the message is larger than " + MAX_MESSAGE_BYTES + " bytes");
    }
    byte[] body = in.readNBytes((int) length);
    if (body.length < length) {
      throw ConnectException.invalid("the request's message ended early");
    }
    return parse(body);
  }

  private static byte[] readAll(InputStream in) throws IOException {
    byte[] body = in.readNBytes(MAX_MESSAGE_BYTES + 1);
    if (body.length > MAX_MESSAGE_BYTES) {
      throw ConnectException.invalid("the message is larger than " + MAX_MESSAGE_BYTES + " bytes");
    }
    return body;
  }

  private JsonNode parse(byte[] body) {
    if (body.length == 0) {
      return json.createObjectNode();
    }
    try {
      JsonNode node = json.readTree(body);
      if (!node.isObject()) {
        throw ConnectException.invalid("the message must be a JSON object");
      }
      return node;
    } catch (JacksonException e) {
      throw ConnectException.invalid("the message is not valid JSON: " + e.getOriginalMessage());
    }
  }

  private static ConnectException asConnect(RuntimeException e) {
    if (e instanceof ConnectException connect) {
      return connect;
    }
    if (e instanceof ApiProblem problem) {
      return ConnectException.of(problem);
    }
    log.error("an in-sandbox call failed", e);
    return new ConnectException(ConnectCode.INTERNAL, "the call failed inside Sandbar");
  }
}
