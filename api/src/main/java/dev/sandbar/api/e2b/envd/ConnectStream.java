package dev.sandbar.api.e2b.envd;

import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

/**
 * The answer of a server-streaming Connect call with JSON: each message an envelope (a flags byte,
 * a 4-byte big-endian length, the JSON), flushed at once, and last an end-of-stream envelope (flag
 * 0x02) holding {@code {}} or {@code {"error": {"code", "message"}}}. An {@link IOException} means
 * the client is gone.
 */
final class ConnectStream {

  static final String CONTENT_TYPE = "application/connect+json";

  private static final int END_STREAM = 0x02;

  private final OutputStream out;
  private final JsonMapper json;
  private boolean ended;

  ConnectStream(OutputStream out, JsonMapper json) {
    this.out = out;
    this.json = json;
  }

  synchronized void message(Object message) throws IOException {
    if (ended) {
      throw new IOException("the stream has ended");
    }
    write(0, json.writeValueAsBytes(message));
  }

  /** Ends the stream, with {@code error} if the call failed; a second end is ignored. */
  synchronized void end(@Nullable ConnectException error) throws IOException {
    if (ended) {
      return;
    }
    ended = true;
    Object end =
        error == null
            ? Map.of()
            : Map.of("error", Map.of("code", error.code().wire(), "message", error.getMessage()));
    write(END_STREAM, json.writeValueAsBytes(end));
  }

  boolean ended() {
    return ended;
  }

  private void write(int flags, byte[] body) throws IOException {
    byte[] prefix = {
      (byte) flags,
      (byte) (body.length >>> 24),
      (byte) (body.length >>> 16),
      (byte) (body.length >>> 8),
      (byte) body.length
    };
    out.write(prefix);
    out.write(body);
    out.flush();
  }
}
