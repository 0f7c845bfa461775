package dev.sandbar.workflows.files;

import java.io.IOException;
import java.io.InputStream;

/**
 * A regular file being read out of a container: exactly {@code size} bytes of {@code content}.
 * Closing it ends the read.
 */
public record FileDownload(String name, long size, InputStream content) implements AutoCloseable {

  @Override
  public void close() throws IOException {
    content.close();
  }
}
