package dev.sandbar.activities.archive;

import java.io.IOException;

/**
 * The archive store itself failed (not writable, disk full, rename refused). Kept apart from other
 * {@link IOException}s so a caller can tell "the store cannot take it" from "the source broke".
 */
public class ArchiveStoreException extends IOException {
  private static final long serialVersionUID = 1L;

  public ArchiveStoreException(String message, Throwable cause) {
    super(message, cause);
  }
}
