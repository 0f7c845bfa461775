package dev.sandbar.activities.archive;

import java.io.IOException;

/**
 * The bytes are not a readable tar (bad header, truncated entry), as opposed to the stream under
 * them failing. Whether that is final depends on the source: a stored archive stays broken, a
 * stream from Docker cut short may come out whole next time.
 */
public class MalformedArchiveException extends IOException {
  private static final long serialVersionUID = 1L;

  public MalformedArchiveException(String message, Throwable cause) {
    super(message, cause);
  }
}
