package dev.sandbar.api.paging;

import dev.sandbar.api.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;

/**
 * The position after the last item of a page (sandboxes, archives). Opaque to clients (base64url),
 * so the key it encodes may change without breaking them.
 */
public record PageCursor(Instant createdAt, String id) {

  private static final char SEPARATOR = '|';

  public String encode() {
    return Base64.getUrlEncoder()
        .withoutPadding()
        .encodeToString(
            (createdAt + String.valueOf(SEPARATOR) + id).getBytes(StandardCharsets.UTF_8));
  }

  public static PageCursor decode(String cursor) {
    try {
      String decoded = new String(Base64.getUrlDecoder().decode(cursor), StandardCharsets.UTF_8);
      int separator = decoded.indexOf(SEPARATOR);
      return new PageCursor(
          Instant.parse(decoded.substring(0, separator)), decoded.substring(separator + 1));
    } catch (RuntimeException e) {
      throw ApiProblem.invalid("cursor", "is not a cursor this API issued");
    }
  }
}
