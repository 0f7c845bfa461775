package dev.sandbar.activities.archive;

import java.io.Closeable;
import java.io.OutputStream;

/**
 * One archive being written. Nothing is visible under the archive id until {@link #commit()};
 * closing without committing throws the written bytes away, so an archive exists completely or not
 * at all. Every failure of the store surfaces as {@link ArchiveStoreException}, also from the
 * stream's {@code write}, {@code flush} and {@code close}.
 */
public interface ArchiveWriter extends Closeable {

  /** Where the archive's bytes go; the caller buffers if it writes in small pieces. */
  OutputStream output();

  /** Makes everything written so far durable and visible under the archive id, replacing any. */
  void commit() throws ArchiveStoreException;

  /** Releases the writer; discards the bytes unless {@link #commit()} succeeded. Never throws. */
  @Override
  void close();
}
