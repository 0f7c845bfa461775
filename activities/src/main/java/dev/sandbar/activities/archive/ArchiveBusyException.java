package dev.sandbar.activities.archive;

import java.io.IOException;

/**
 * Another writer holds the same archive id, typically an earlier attempt of the same activity that
 * has not noticed its timeout yet. Waiting and retrying is the cure, so this is not an {@link
 * ArchiveStoreException}.
 */
public class ArchiveBusyException extends IOException {
  private static final long serialVersionUID = 1L;

  public ArchiveBusyException(String message) {
    super(message);
  }
}
