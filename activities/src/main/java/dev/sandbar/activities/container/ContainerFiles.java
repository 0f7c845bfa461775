package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import io.temporal.failure.ApplicationFailure;
import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;
import java.util.function.LongUnaryOperator;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Reads files of a container through Docker's archive API, which works whether or not the container
 * runs: how a command's files are read once its container has stopped. Every read goes through a
 * {@link BoundedRead}.
 */
final class ContainerFiles {

  /**
   * Most bytes one read streams through: Docker sends the whole file, and a slice at its end is
   * reached by reading past the rest. Far above any log the wrapper writes ({@link TaskOutputCap});
   * the heap holds only the slice asked for.
   */
  static final long MAX_STREAMED_BYTES = 256L * 1024 * 1024;

  /** Part of a file and the whole file's size. */
  record Slice(long size, byte[] data) {}

  private final DockerClient docker;

  ContainerFiles(DockerClient docker) {
    this.docker = docker;
  }

  /**
   * Reads up to {@code limit} bytes of a file; empty when the file does not exist.
   *
   * @param startFor where to start reading, given the file's size
   */
  Optional<Slice> read(String container, String path, LongUnaryOperator startFor, int limit) {
    BoundedRead bound =
        new BoundedRead("reading " + path + " from " + container, MAX_STREAMED_BYTES);
    try (InputStream tar = docker.copyArchiveFromContainerCmd(container, path).exec();
        TarArchiveInputStream entries = new TarArchiveInputStream(bound.wrap(tar))) {
      TarArchiveEntry entry = entries.getNextEntry();
      if (entry == null || !entry.isFile()) {
        return Optional.empty();
      }
      long size = entry.getSize();
      long start = Math.max(0, Math.min(size, startFor.applyAsLong(size)));
      entries.skipNBytes(start);
      int length = (int) Math.min(limit, size - start);
      return Optional.of(new Slice(size, entries.readNBytes(length)));
    } catch (NotFoundException e) {
      if (containerExists(container)) {
        return Optional.empty();
      }
      throw DockerFailures.containerGone(container, e);
    } catch (ApplicationFailure e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw DockerFailures.transientFailure(
          "reading " + path + " from " + container + " failed", e);
    }
  }

  private boolean containerExists(String container) {
    try {
      docker.inspectContainerCmd(container).exec();
      return true;
    } catch (NotFoundException e) {
      return false;
    }
  }
}
