package dev.sandbar.activities.container;

import java.nio.charset.StandardCharsets;

/**
 * Decodes the head or the tail of a byte stream that was cut at a byte count: a cut inside a UTF-8
 * sequence drops the partial character instead of turning it into a replacement character.
 */
final class Utf8Cut {

  private Utf8Cut() {}

  /** Decodes the start of a stream; a cut inside a UTF-8 sequence drops the partial character. */
  static String decodeHead(byte[] bytes, boolean cut) {
    int end = bytes.length;
    if (cut) {
      int back = 0;
      while (back < 3 && end - back > 0 && isContinuation(bytes[end - back - 1])) {
        back++;
      }
      // Drop the lead byte too when the sequence it starts is incomplete.
      if (end - back > 0 && sequenceLength(bytes[end - back - 1]) > back + 1) {
        end = end - back - 1;
      }
    }
    return new String(bytes, 0, end, StandardCharsets.UTF_8);
  }

  /** Decodes the end of a stream; a cut inside a UTF-8 sequence drops the partial character. */
  static String decodeTail(byte[] bytes, boolean cut) {
    int start = 0;
    if (cut) {
      while (start < 3 && start < bytes.length && isContinuation(bytes[start])) {
        start++;
      }
    }
    return new String(bytes, start, bytes.length - start, StandardCharsets.UTF_8);
  }

  private static boolean isContinuation(byte b) {
    return (b & 0xC0) == 0x80;
  }

  private static int sequenceLength(byte lead) {
    int b = lead & 0xFF;
    if (b >= 0xF0) {
      return 4;
    }
    if (b >= 0xE0) {
      return 3;
    }
    if (b >= 0xC0) {
      return 2;
    }
    return 1;
  }
}
