package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.RUNNING;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.activity.ArchiveStoreActivities;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ArchiveLookup;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.RestoreData;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.TransitionAction;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/** Copies the sandbox's data path out to a new archive (export) and in from one (restore). */
final class DataTransfers {

  private static final Logger log = Workflow.getLogger(DataTransfers.class);

  private final ArchiveStoreActivities archiveStore =
      Workflow.newActivityStub(
          ArchiveStoreActivities.class, StepActivities.of(ActivityOptionsCatalog.DATABASE));
  private final SandboxFacts facts;
  private final TransitionRecorder recorder;
  private final HostActivities host;
  private final ArchiveActivities archives;
  private final ContainerRef ref;

  DataTransfers(
      SandboxFacts facts, TransitionRecorder recorder, HostActivities host, String hostId) {
    this.facts = facts;
    this.recorder = recorder;
    this.host = host;
    this.archives =
        Workflow.newActivityStub(
            ArchiveActivities.class,
            StepActivities.of(ActivityOptionsCatalog.archiveTransfers(hostId)));
    this.ref = new ContainerRef(facts.input.sandboxId());
  }

  /**
   * Writes the data path to a new archive. A running sandbox is paused for a consistent copy. On
   * success the archive is recorded and, for a snapshot ({@code resumeAfter}), the sandbox is put
   * back as it was. On failure the half-written archive is discarded, the sandbox is put back as it
   * was (a destroy is thereby aborted) and the failure is audited.
   */
  TransferResult export(SandboxState before, Attempt attempt, boolean resumeAfter) {
    String newArchiveId =
        "ar-" + Workflow.randomUUID().toString().replace("-", "").substring(0, 20);
    boolean pausedHere = false;
    try {
      if (before == RUNNING) {
        host.pauseContainer(ref);
        pausedHere = true;
      }
      ArchiveFile file =
          archives.exportData(new ExportData(ref, newArchiveId, facts.input.spec().dataPath()));
      archiveStore.recordArchive(
          new ArchiveInfo(
              newArchiveId,
              facts.input.sandboxId(),
              facts.input.tenantId(),
              facts.hostId,
              file.sizeBytes(),
              file.sha256(),
              Workflow.currentTimeMillis(),
              "ready"));
      facts.archiveId = newArchiveId;
      if (pausedHere && resumeAfter) {
        host.unpauseContainer(ref);
      }
      if (resumeAfter) {
        recorder.ok(before, attempt);
      }
      return TransferResult.DONE;
    } catch (ActivityFailure failure) {
      String message =
          attempt.action().wire()
              + " aborted: export failed: "
              + TransitionRecorder.describe(failure);
      log.warn("sandbox {}: {}", facts.input.sandboxId(), message);
      try {
        archives.discardArchive(newArchiveId);
      } catch (ActivityFailure discardFailed) {
        log.warn("could not discard partial archive {}", newArchiveId);
      }
      if (pausedHere) {
        try {
          host.unpauseContainer(ref);
        } catch (ActivityFailure unpauseFailed) {
          recorder.fail(attempt, unpauseFailed);
          return new TransferResult.Failed(message);
        }
      }
      recorder.failedAttempt(before, attempt, message);
      return new TransferResult.Failed(message);
    }
  }

  /**
   * Restores {@code restoreFrom} into the created container before its command ever runs. On
   * failure the container and its volume are removed and the sandbox ends in error.
   */
  TransferResult restore() {
    return restore(
        facts.input.spec().restoreFrom(), new Attempt(TransitionAction.RESTORE, Actor.USER, null));
  }

  /**
   * Restores {@code archiveId} into the created container; on failure removes the container and its
   * volume and leaves the sandbox in error, the failure audited as {@code attempt}.
   */
  TransferResult restore(String archiveId, Attempt attempt) {
    try {
      ArchiveInfo archive =
          archiveStore.findArchive(new ArchiveLookup(archiveId, facts.input.tenantId()));
      archives.restoreData(
          new RestoreData(
              ref,
              new ArchiveFile(archive.archiveId(), archive.sizeBytes(), archive.sha256()),
              facts.input.spec().dataPath()));
      return TransferResult.DONE;
    } catch (ActivityFailure failure) {
      try {
        host.removeContainer(ref);
        facts.containerId = null;
      } catch (ActivityFailure removeFailed) {
        log.warn("could not remove container of failed restore {}", facts.input.sandboxId());
      }
      recorder.fail(attempt, failure);
      return new TransferResult.Failed(facts.error);
    }
  }
}
