package dev.sandbar.api.exec;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * One output stream's bytes as the event data a client gets. For UTF-8 text, a character cut by a
 * read's boundary is held back until the next read completes it, so no event ends in half a
 * character; bytes that are not UTF-8 become U+FFFD. Not thread-safe: one per stream.
 */
final class StreamText {

  private final StreamEncoding encoding;
  private final CharsetDecoder decoder =
      StandardCharsets.UTF_8
          .newDecoder()
          .onMalformedInput(CodingErrorAction.REPLACE)
          .onUnmappableCharacter(CodingErrorAction.REPLACE);
  private byte[] pending = new byte[0];

  StreamText(StreamEncoding encoding) {
    this.encoding = encoding;
  }

  /** The text for {@code bytes}; {@code end} when no more bytes will follow. */
  String next(byte[] bytes, boolean end) {
    if (encoding == StreamEncoding.BASE64) {
      return Base64.getEncoder().encodeToString(bytes);
    }
    ByteBuffer in = ByteBuffer.allocate(pending.length + bytes.length);
    in.put(pending).put(bytes).flip();
    CharBuffer out = CharBuffer.allocate(in.remaining() + 1);
    decoder.decode(in, out, end);
    if (end) {
      decoder.flush(out);
      decoder.reset();
    }
    pending = new byte[in.remaining()];
    in.get(pending);
    return out.flip().toString();
  }
}
