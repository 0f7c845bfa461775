package dev.sandbar.api.edge;

import java.io.IOException;

/**
 * A request body grew past the limit while it was read (a chunked body carries no length to check
 * up front). Thrown from the body's stream, so whatever reads it stops there.
 */
public final class RequestTooLargeException extends IOException {

  private static final long serialVersionUID = 1L;

  RequestTooLargeException(long limit) {
    super(RequestSizeFilter.tooLarge(limit));
  }
}
