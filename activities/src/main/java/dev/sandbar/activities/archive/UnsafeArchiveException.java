package dev.sandbar.activities.archive;

import java.io.IOException;

/**
 * A tar is well formed but breaks the rules a restore insists on: an entry or link escapes the data
 * path, a device file, too much data. Retrying cannot change the verdict.
 */
public class UnsafeArchiveException extends IOException {
  private static final long serialVersionUID = 1L;

  public UnsafeArchiveException(String message) {
    super(message);
  }
}
