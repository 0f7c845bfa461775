package dev.sandbar.activities.container;

/**
 * Cuts text to a budget of bytes <em>as it is encoded in a Temporal payload</em> (JSON in UTF-8),
 * not as it was read: a NUL or other control byte costs six bytes there ({@code \u0000}), a quote
 * or backslash two, an undecodable byte three (it became U+FFFD). A cap on raw bytes alone lets a
 * command's output grow sixfold on its way into a workflow result.
 */
final class EncodedCap {

  private EncodedCap() {}

  /** The longest start of {@code text} whose encoding fits {@code maxBytes}. */
  static String head(String text, int maxBytes) {
    long used = 0;
    for (int i = 0; i < text.length(); i++) {
      used += cost(text.charAt(i));
      if (used > maxBytes) {
        return text.substring(0, keepPair(text, i));
      }
    }
    return text;
  }

  /** The longest end of {@code text} whose encoding fits {@code maxBytes}. */
  static String tail(String text, int maxBytes) {
    long used = 0;
    for (int i = text.length() - 1; i >= 0; i--) {
      used += cost(text.charAt(i));
      if (used > maxBytes) {
        int start = i + 1;
        if (start < text.length() && Character.isLowSurrogate(text.charAt(start))) {
          start++;
        }
        return text.substring(start);
      }
    }
    return text;
  }

  /**
   * Bytes one UTF-16 unit takes in JSON as Temporal's Jackson writes it: a short escape for tab,
   * newline and carriage return, {@code \}{@code uXXXX} for the other control characters; each half
   * of a surrogate pair counts two (the pair is four bytes of UTF-8).
   */
  static int cost(char c) {
    if (c < 0x20) {
      return c == '\t' || c == '\n' || c == '\r' ? 2 : 6;
    }
    if (c == '"' || c == '\\') {
      return 2;
    }
    if (c < 0x80) {
      return 1;
    }
    if (c < 0x800 || Character.isSurrogate(c)) {
      return 2;
    }
    return 3;
  }

  /** A cut at {@code end} that would split a surrogate pair moves before it. */
  private static int keepPair(String text, int end) {
    return end > 0 && Character.isHighSurrogate(text.charAt(end - 1)) ? end - 1 : end;
  }
}
