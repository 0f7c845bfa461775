package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.activities.archive.ActivityHeartbeat;
import dev.sandbar.activities.archive.ArchiveBusyException;
import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.ArchiveStoreException;
import dev.sandbar.activities.archive.ArchiveWriter;
import dev.sandbar.activities.archive.MalformedArchiveException;
import dev.sandbar.activities.archive.StreamPipe;
import dev.sandbar.activities.archive.TarSafety;
import dev.sandbar.activities.archive.UnsafeArchiveException;
import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.RestoreData;
import io.temporal.failure.ApplicationFailure;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.NoSuchFileException;
import java.security.DigestInputStream;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.OptionalLong;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link ArchiveActivities} over Docker's archive API ({@code GET}/{@code PUT
 * /containers/{id}/archive}), which reads and writes through the container's mounts whether it is
 * running, paused or only created: export copies from a paused sandbox, restore fills the volume of
 * a container that has not started yet.
 *
 * <p>Archives stream end to end: Docker's response goes through {@link TarSafety} into the store,
 * and the store's file goes through {@link TarSafety} into Docker's request, so memory stays flat
 * whatever the data size. A restore reads the archive twice: the first pass checks size, checksum
 * and every entry, and only an archive that passed all of it is sent, so a rejected archive writes
 * nothing into the container.
 */
public class DockerArchiveActivities implements ArchiveActivities {

  private static final Logger log = LoggerFactory.getLogger(DockerArchiveActivities.class);

  private static final int IO_BUFFER_BYTES = 256 * 1024;
  private static final int PIPE_BYTES = 1024 * 1024;

  private final DockerClient docker;
  private final ArchiveStore store;
  private final long maxArchiveBytes;

  /**
   * @param maxArchiveBytes most file data one archive may hold; an export above it fails rather
   *     than store an archive every restore would refuse
   */
  public DockerArchiveActivities(DockerClient docker, ArchiveStore store, long maxArchiveBytes) {
    if (maxArchiveBytes <= 0) {
      throw new IllegalArgumentException("maxArchiveBytes must be positive: " + maxArchiveBytes);
    }
    this.docker = docker;
    this.store = store;
    this.maxArchiveBytes = maxArchiveBytes;
  }

  @Override
  public ArchiveFile exportData(ExportData request) {
    String archiveId = validArchiveId(request.archiveId());
    String dataPath = validDataPath(request.dataPath());
    String container = request.ref().containerName();
    ActivityHeartbeat heartbeat = ActivityHeartbeat.ofCurrentActivity();
    TarSafety rules = TarSafety.forExport(maxArchiveBytes, dataPath);
    MessageDigest sha256 = sha256();

    InputStream fromDocker = openDataPath(container, dataPath);
    try (fromDocker;
        ArchiveWriter writer = store.put(archiveId)) {
      CountingOutputStream counted =
          new CountingOutputStream(
              new DigestOutputStream(
                  new BufferedOutputStream(writer.output(), IO_BUFFER_BYTES), sha256));
      TarSafety.Summary summary =
          rules.copy(fromDocker, counted, copied -> heartbeat.accept(counted.count()));
      counted.flush();
      writer.commit();
      ArchiveFile archive =
          new ArchiveFile(archiveId, counted.count(), HexFormat.of().formatHex(sha256.digest()));
      log.info(
          "exported {}:{} as archive {} ({} bytes, {} entries, {} FIFOs left out, sha256 {})",
          container,
          dataPath,
          archiveId,
          archive.sizeBytes(),
          summary.entries(),
          summary.droppedFifos(),
          archive.sha256());
      return archive;
    } catch (UnsafeArchiveException e) {
      throw failure(
          ErrorType.EXPORT_FAILED,
          "data path "
              + dataPath
              + " of "
              + container
              + " cannot be archived, a restore would refuse it: "
              + e.getMessage(),
          e);
    } catch (IOException e) {
      ArchiveStoreException storeFailure = causeOfType(e, ArchiveStoreException.class);
      if (storeFailure != null) {
        throw failure(
            ErrorType.EXPORT_FAILED,
            "archive store cannot take archive " + archiveId + ": " + storeFailure.getMessage(),
            e);
      }
      if (e instanceof ArchiveBusyException) {
        throw new UncheckedIOException(e.getMessage(), e);
      }
      // The store took every byte it was given: the stream from Docker broke off.
      throw new DockerOperationException(
          "export of " + container + ":" + dataPath + " was interrupted: " + e.getMessage(), e);
    }
  }

  @Override
  public void restoreData(RestoreData request) {
    ArchiveFile archive = request.archive();
    String archiveId = validArchiveId(archive.archiveId());
    String dataPath = validDataPath(request.dataPath());
    String container = request.ref().containerName();
    ActivityHeartbeat heartbeat = ActivityHeartbeat.ofCurrentActivity();
    TarSafety rules = TarSafety.forRestore(maxArchiveBytes, dataPath);

    verifyArchive(archive, rules, heartbeat);
    requireContainer(container);
    upload(archiveId, container, dataPath, rules, heartbeat);
    log.info("restored archive {} into {}:{}", archiveId, container, dataPath);
  }

  @Override
  public void discardArchive(String archiveId) {
    String id = validArchiveId(archiveId);
    try {
      if (store.delete(id)) {
        log.info("discarded archive {}", id);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete archive " + id + ": " + e.getMessage(), e);
    }
  }

  /** Opens Docker's tar of the data path; a missing container or path is final. */
  private InputStream openDataPath(String container, String dataPath) {
    try {
      return docker.copyArchiveFromContainerCmd(container, dataPath).exec();
    } catch (NotFoundException e) {
      throw missing(container, dataPath, e);
    } catch (RuntimeException e) {
      throw new DockerOperationException(
          "Docker could not read " + dataPath + " of " + container + ": " + e.getMessage(), e);
    }
  }

  /**
   * First pass over the stored archive: size, then entries and checksum together. A checksum
   * mismatch wins over an entry rule, so a flipped byte is reported as corruption, not as a hostile
   * archive.
   */
  private void verifyArchive(ArchiveFile archive, TarSafety rules, ActivityHeartbeat heartbeat) {
    String archiveId = archive.archiveId();
    OptionalLong size;
    try {
      size = store.size(archiveId);
    } catch (IOException e) {
      throw new UncheckedIOException(
          "cannot read archive store for " + archiveId + ": " + e.getMessage(), e);
    }
    if (size.isEmpty()) {
      throw failure(ErrorType.ARCHIVE_NOT_FOUND, "archive " + archiveId + " is not stored", null);
    }
    if (size.getAsLong() != archive.sizeBytes()) {
      throw failure(
          ErrorType.ARCHIVE_CORRUPT,
          "archive "
              + archiveId
              + " is "
              + size.getAsLong()
              + " bytes, its export recorded "
              + archive.sizeBytes(),
          null);
    }

    MessageDigest sha256 = sha256();
    IOException rejected = null;
    long read;
    try (InputStream stored = store.get(archiveId)) {
      CountingInputStream counted =
          new CountingInputStream(
              new DigestInputStream(new BufferedInputStream(stored, IO_BUFFER_BYTES), sha256));
      try {
        rules.copy(
            counted, OutputStream.nullOutputStream(), copied -> heartbeat.accept(counted.count()));
      } catch (UnsafeArchiveException | MalformedArchiveException e) {
        rejected = e;
      }
      byte[] buffer = new byte[IO_BUFFER_BYTES];
      while (counted.read(buffer) >= 0) {
        heartbeat.accept(counted.count());
      }
      read = counted.count();
    } catch (NoSuchFileException e) {
      throw failure(ErrorType.ARCHIVE_NOT_FOUND, "archive " + archiveId + " is not stored", e);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read archive " + archiveId + ": " + e.getMessage(), e);
    }

    String actual = HexFormat.of().formatHex(sha256.digest());
    if (read != archive.sizeBytes() || !actual.equalsIgnoreCase(archive.sha256())) {
      throw failure(
          ErrorType.ARCHIVE_CORRUPT,
          "archive "
              + archiveId
              + " does not match its export: read "
              + read
              + " bytes with sha256 "
              + actual
              + ", expected "
              + archive.sizeBytes()
              + " bytes with sha256 "
              + archive.sha256(),
          rejected);
    }
    if (rejected instanceof UnsafeArchiveException) {
      throw failure(
          ErrorType.ARCHIVE_UNSAFE,
          "archive " + archiveId + " is refused: " + rejected.getMessage(),
          rejected);
    }
    if (rejected != null) {
      throw failure(
          ErrorType.ARCHIVE_CORRUPT,
          "archive "
              + archiveId
              + " matches its checksum but is unreadable: "
              + rejected.getMessage(),
          rejected);
    }
  }

  private void requireContainer(String container) {
    try {
      docker.inspectContainerCmd(container).exec();
    } catch (NotFoundException e) {
      throw failure(ErrorType.CONTAINER_GONE, "container " + container + " does not exist", e);
    } catch (RuntimeException e) {
      throw new DockerOperationException(
          "Docker could not inspect " + container + ": " + e.getMessage(), e);
    }
  }

  /**
   * Second pass: the checked archive through a pipe into Docker's extract call, which runs on its
   * own thread so this one can keep heartbeating and reading the store.
   */
  private void upload(
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
          new CountingInputStream(new BufferedInputStream(stored, IO_BUFFER_BYTES));
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
    if (streamFailure instanceof UnsafeArchiveException) {
      throw failure(
          ErrorType.ARCHIVE_UNSAFE,
          "archive " + archiveId + " is refused: " + streamFailure.getMessage(),
          streamFailure);
    }
    if (streamFailure instanceof MalformedArchiveException) {
      throw failure(
          ErrorType.ARCHIVE_CORRUPT,
          "archive " + archiveId + " became unreadable: " + streamFailure.getMessage(),
          streamFailure);
    }
    if (uploadFailure instanceof NotFoundException notFound) {
      throw missing(container, dataPath, notFound);
    }
    if (uploadFailure != null) {
      requireContainer(container);
      throw new DockerOperationException(
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
        throw new DockerOperationException("interrupted while Docker extracted an archive", e);
      }
    }
  }

  /** Docker answers 404 for a missing container and for a missing path alike. */
  private RuntimeException missing(String container, String dataPath, NotFoundException cause) {
    try {
      docker.inspectContainerCmd(container).exec();
    } catch (NotFoundException gone) {
      return failure(ErrorType.CONTAINER_GONE, "container " + container + " does not exist", cause);
    } catch (RuntimeException e) {
      return new DockerOperationException(
          "Docker could not inspect " + container + ": " + e.getMessage(), e);
    }
    return failure(
        ErrorType.INVALID_ARGUMENT,
        "data path " + dataPath + " does not exist in " + container + ": " + cause.getMessage(),
        cause);
  }

  private static String validArchiveId(String archiveId) {
    try {
      return ArchiveStore.requireValidId(archiveId);
    } catch (IllegalArgumentException e) {
      throw failure(ErrorType.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  private static String validDataPath(String dataPath) {
    try {
      return TarSafety.requireDataPath(dataPath);
    } catch (IllegalArgumentException e) {
      throw failure(ErrorType.INVALID_ARGUMENT, e.getMessage(), e);
    }
  }

  private static ApplicationFailure failure(ErrorType type, String message, Throwable cause) {
    log.warn("{}: {}", type, message);
    return ApplicationFailure.newNonRetryableFailureWithCause(message, type.name(), cause);
  }

  private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  private static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }

  private static final class CountingOutputStream extends FilterOutputStream {
    private long count;

    CountingOutputStream(OutputStream out) {
      super(out);
    }

    long count() {
      return count;
    }

    @Override
    public void write(int b) throws IOException {
      out.write(b);
      count++;
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len);
      count += len;
    }
  }

  /** Counts bytes read; sits on top of a digest in the checking pass. */
  private static final class CountingInputStream extends FilterInputStream {
    private long count;

    CountingInputStream(InputStream in) {
      super(in);
    }

    long count() {
      return count;
    }

    @Override
    public int read() throws IOException {
      int b = in.read();
      if (b >= 0) {
        count++;
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = in.read(b, off, len);
      if (n > 0) {
        count += n;
      }
      return n;
    }

    /** Reads instead of skipping, so a digest underneath sees every byte. */
    @Override
    public long skip(long n) throws IOException {
      byte[] scratch = new byte[(int) Math.min(n, 8192)];
      long skipped = 0;
      while (skipped < n) {
        int read = read(scratch, 0, (int) Math.min(scratch.length, n - skipped));
        if (read < 0) {
          break;
        }
        skipped += read;
      }
      return skipped;
    }
  }
}
