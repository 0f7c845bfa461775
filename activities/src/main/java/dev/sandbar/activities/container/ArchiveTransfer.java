package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.activities.archive.ActivityHeartbeat;
import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.MalformedArchiveException;
import dev.sandbar.activities.archive.StreamPipe;
import dev.sandbar.activities.archive.TarSafety;
import dev.sandbar.activities.archive.UnsafeArchiveException;
import dev.sandbar.workflows.model.ErrorType;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Docker side of archives: a data path's tar out of a container ({@link #open}), a stored
 * archive into one ({@link #upload}), and what Docker's 404 means for either.
 */
record ArchiveTransfer(DockerClient docker, ArchiveStore store) {

  private static final Logger log = LoggerFactory.getLogger(ArchiveTransfer.class);

  /** Largest buffer between the store and Docker's extract call. */
  private static final int PIPE_BYTES = 1024 * 1024;

  /** Opens Docker's tar of the data path; a missing container or path is final. */
  InputStream open(String container, String dataPath) {
    try {
      return docker.copyArchiveFromContainerCmd(container, dataPath).exec();
    } catch (NotFoundException e) {
      throw missing(container, dataPath, e);
    } catch (RuntimeException e) {
      throw DockerFailures.transientFailure(
          "Docker could not read " + dataPath + " of " + container + ": " + e.getMessage(), e);
    }
  }

  /** {@code CONTAINER_GONE} unless the container exists. */
  void requireContainer(String container) {
    absence(container, null)
        .ifPresent(
            failure -> {
              throw failure;
            });
  }

  /**
   * The second pass of a restore: the checked archive through a pipe into Docker's extract call,
   * which runs on its own thread so this one can keep heartbeating and reading the store.
   */
  void upload(
      String archiveId,
      String container,
      String dataPath,
      TarSafety rules,
      ActivityHeartbeat heartbeat) {
    StreamPipe toDocker = new StreamPipe(PIPE_BYTES);
    CompletableFuture<Void> extracted = new CompletableFuture<>();
    Thread uploader =
        Thread.ofPlatform()
            .name("sandbar-restore-" + archiveId)
            .daemon()
            .unstarted(
                () -> {
                  try {
                    docker
                        .copyArchiveToContainerCmd(container)
                        .withRemotePath(TarSafety.extractionDirectory(dataPath))
                        .withTarInputStream(toDocker.source())
                        .exec();
                    extracted.complete(null);
                  } catch (Throwable t) {
                    extracted.completeExceptionally(t);
                  } finally {
                    // Fails a write waiting on a full pipe once Docker stops reading.
                    toDocker.closeReader();
                  }
                });
    uploader.start();

    IOException streamFailure = null;
    long sent = 0;
    try (InputStream stored = store.get(archiveId)) {
      CountingInputStream counted =
          new CountingInputStream(
              new BufferedInputStream(stored, DockerArchiveActivities.IO_BUFFER_BYTES));
      rules.copy(counted, toDocker.sink(), copied -> heartbeat.accept(counted.count()));
      toDocker.sink().close(); // a clean end of the tar: only now may Docker finish extracting
      sent = counted.count();
    } catch (IOException e) {
      streamFailure = e;
      // Breaking the upload instead of ending it, so Docker sees a cut request, not a short tar.
      toDocker.abort(e);
    } catch (RuntimeException e) {
      toDocker.abort(e);
      throw e;
    }

    Throwable uploadFailure = awaitUpload(extracted, heartbeat, toDocker, sent);
    switch (streamFailure) {
      case UnsafeArchiveException unsafe ->
          throw archiveRejected(ErrorType.ARCHIVE_UNSAFE, archiveId, "is refused", unsafe);
      case MalformedArchiveException corrupt ->
          throw archiveRejected(ErrorType.ARCHIVE_CORRUPT, archiveId, "became unreadable", corrupt);
      case null, default -> {}
    }
    if (uploadFailure instanceof NotFoundException notFound) {
      throw missing(container, dataPath, notFound);
    }
    if (uploadFailure != null) {
      requireContainer(container);
      throw DockerFailures.transientFailure(
          "Docker could not extract archive "
              + archiveId
              + " into "
              + container
              + ":"
              + dataPath
              + ": "
              + uploadFailure.getMessage(),
          uploadFailure);
    }
    if (streamFailure != null) {
      throw new UncheckedIOException(
          "cannot read archive " + archiveId + ": " + streamFailure.getMessage(), streamFailure);
    }
  }

  /** Waits for Docker's answer, heartbeating; returns what the extract call threw, if anything. */
  private static Throwable awaitUpload(
      CompletableFuture<Void> extracted,
      ActivityHeartbeat heartbeat,
      StreamPipe toDocker,
      long bytesSent) {
    while (true) {
      try {
        extracted.get(1, TimeUnit.SECONDS);
        return null;
      } catch (ExecutionException e) {
        return e.getCause();
      } catch (TimeoutException e) {
        try {
          heartbeat.accept(bytesSent);
        } catch (RuntimeException stop) {
          toDocker.abort(stop);
          throw stop;
        }
      } catch (InterruptedException e) {
        toDocker.abort(e);
        Thread.currentThread().interrupt();
        throw DockerFailures.transientFailure("interrupted while Docker extracted an archive", e);
      }
    }
  }

  /** A stored archive that the tar rules refuse is final: no retry reads it differently. */
  private static RuntimeException archiveRejected(
      ErrorType type, String archiveId, String verdict, IOException cause) {
    return DockerFailures.permanent(
        log, type, "archive " + archiveId + " " + verdict + ": " + cause.getMessage(), cause);
  }

  /** Docker answers 404 for a missing container and for a missing path alike. */
  private RuntimeException missing(String container, String dataPath, NotFoundException cause) {
    return absence(container, cause)
        .orElseGet(
            () ->
                DockerFailures.permanent(
                    log,
                    ErrorType.INVALID_ARGUMENT,
                    "data path "
                        + dataPath
                        + " does not exist in "
                        + container
                        + ": "
                        + cause.getMessage(),
                    cause));
  }

  /**
   * Empty when the container exists, else why it cannot be used: {@code CONTAINER_GONE} (caused by
   * {@code goneCause}, or by the inspection's 404 when null) or a transient failure.
   */
  private Optional<RuntimeException> absence(String container, Throwable goneCause) {
    try {
      docker.inspectContainerCmd(container).exec();
      return Optional.empty();
    } catch (NotFoundException gone) {
      return Optional.of(
          DockerFailures.permanent(
              log,
              ErrorType.CONTAINER_GONE,
              "container " + container + " does not exist",
              goneCause == null ? gone : goneCause));
    } catch (RuntimeException e) {
      return Optional.of(
          DockerFailures.transientFailure(
              "Docker could not inspect " + container + ": " + e.getMessage(), e));
    }
  }
}
