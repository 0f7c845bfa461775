package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * An upload body whose size is not declared (a chunked or gzipped stream), copied to a temporary
 * file so the files service gets the size it writes into the container up front. Bounded by the
 * largest file Sandbar moves; memory stays flat. Deleted on close.
 */
final class SpooledBody implements AutoCloseable {

  private final Path file;
  private final long size;

  private SpooledBody(Path file, long size) {
    this.file = file;
    this.size = size;
  }

  static SpooledBody of(InputStream body, long maxBytes) throws IOException {
    Path file = Files.createTempFile("sandbar-e2b-upload-", ".part");
    long size = 0;
    try (OutputStream out = Files.newOutputStream(file)) {
      byte[] buffer = new byte[64 * 1024];
      int read;
      while ((read = body.read(buffer)) >= 0) {
        size += read;
        if (size > maxBytes) {
          throw ApiProblem.of(
              ProblemType.PAYLOAD_TOO_LARGE, "files move up to " + maxBytes + " bytes");
        }
        out.write(buffer, 0, read);
      }
    } catch (IOException | RuntimeException e) {
      Files.deleteIfExists(file);
      throw e;
    }
    return new SpooledBody(file, size);
  }

  long size() {
    return size;
  }

  InputStream open() throws IOException {
    return Files.newInputStream(file);
  }

  @Override
  public void close() throws IOException {
    Files.deleteIfExists(file);
  }
}
