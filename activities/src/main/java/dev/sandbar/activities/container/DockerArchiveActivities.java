package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import dev.sandbar.activities.archive.ActivityHeartbeat;
import dev.sandbar.activities.archive.ArchiveBusyException;
import dev.sandbar.activities.archive.ArchiveStore;
import dev.sandbar.activities.archive.ArchiveStoreException;
import dev.sandbar.activities.archive.ArchiveWriter;
import dev.sandbar.activities.archive.TarSafety;
import dev.sandbar.activities.archive.UnsafeArchiveException;
import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.RestoreData;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
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
 * whatever the data size. A restore reads the archive twice: the first pass ({@link
 * StoredArchiveCheck}) checks size, checksum and every entry, and only an archive that passed all
 * of it is sent ({@link ArchiveTransfer}), so a rejected archive writes nothing into the container.
 */
public class DockerArchiveActivities implements ArchiveActivities {

  private static final Logger log = LoggerFactory.getLogger(DockerArchiveActivities.class);

  /** Buffer between the store's files and the tar streams. */
  static final int IO_BUFFER_BYTES = 256 * 1024;

  private final ArchiveStore store;
  private final long maxArchiveBytes;
  private final ArchiveTransfer transfer;
  private final RemappedOwners owners;
  private final StoredArchiveCheck check;

  /**
   * @param maxArchiveBytes most file data one archive may hold; an export above it fails rather
   *     than store an archive every restore would refuse
   */
  public DockerArchiveActivities(DockerClient docker, ArchiveStore store, long maxArchiveBytes) {
    if (maxArchiveBytes <= 0) {
      throw new IllegalArgumentException("maxArchiveBytes must be positive: " + maxArchiveBytes);
    }
    this.store = store;
    this.maxArchiveBytes = maxArchiveBytes;
    this.transfer = new ArchiveTransfer(docker, store);
    this.owners = new RemappedOwners(docker);
    this.check = new StoredArchiveCheck(store);
  }

  @Override
  public ArchiveFile exportData(ExportData request) {
    String archiveId = validArchiveId(request.archiveId());
    String dataPath = validDataPath(request.dataPath());
    String container = request.ref().containerName();
    ActivityHeartbeat heartbeat = ActivityHeartbeat.ofCurrentActivity();
    TarSafety rules = TarSafety.forExport(maxArchiveBytes, dataPath).withOwnerShift(owners.shift());
    MessageDigest sha256 = sha256();

    InputStream fromDocker = transfer.open(container, dataPath);
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
      throw DockerFailures.transientFailure(
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

    check.verify(archive, rules, heartbeat);
    transfer.requireContainer(container);
    transfer.upload(archiveId, container, dataPath, rules, heartbeat);
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

  private static RuntimeException failure(ErrorType type, String message, Throwable cause) {
    return DockerFailures.permanent(log, type, message, cause);
  }

  private static <T extends Throwable> T causeOfType(Throwable e, Class<T> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return type.cast(t);
      }
    }
    return null;
  }

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("every Java runtime has SHA-256", e);
    }
  }
}
