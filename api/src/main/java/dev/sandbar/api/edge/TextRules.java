package dev.sandbar.api.edge;

import org.jspecify.annotations.Nullable;

/**
 * What every text that enters the API must be, whatever field carries it: PostgreSQL cannot store
 * NUL in {@code text} or {@code jsonb}, Docker and the shell cut a string at NUL, and a lone UTF-16
 * surrogate (which JSON's {@code \\uD800} escapes and URL decoding can produce) has no UTF-8
 * encoding, so it would be stored as something else than what was sent.
 */
public final class TextRules {

  private TextRules() {}

  /** Why {@code text} cannot be accepted, or null when it can. */
  public static @Nullable String violation(String text) {
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c == '\0') {
        return "must not contain NUL";
      }
      if (Character.isHighSurrogate(c)) {
        if (i + 1 < text.length() && Character.isLowSurrogate(text.charAt(i + 1))) {
          i++;
          continue;
        }
        return "is not valid Unicode (unpaired surrogate)";
      }
      if (Character.isLowSurrogate(c)) {
        return "is not valid Unicode (unpaired surrogate)";
      }
    }
    return null;
  }
}
