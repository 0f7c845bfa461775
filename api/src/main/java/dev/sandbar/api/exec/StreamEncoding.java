package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/** How streamed output and stdin input travel in JSON: UTF-8 text (the default) or Base64. */
enum StreamEncoding {
  UTF8,
  BASE64;

  /** The encoding named by a request parameter or field; {@code field} names it in a 400. */
  static StreamEncoding parse(@Nullable String value, String field) {
    if (value == null || value.isBlank()) {
      return UTF8;
    }
    return switch (value.toLowerCase(Locale.ROOT)) {
      case "utf8", "utf-8" -> UTF8;
      case "base64" -> BASE64;
      default -> throw ApiProblem.invalid(field, "must be utf8 or base64");
    };
  }

  /** The bytes {@code data} stands for in this encoding; a 400 naming {@code field} if invalid. */
  byte[] decode(String data, String field) {
    if (this == UTF8) {
      return data.getBytes(StandardCharsets.UTF_8);
    }
    try {
      return Base64.getDecoder().decode(data);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid(field, "is not valid Base64");
    }
  }
}
