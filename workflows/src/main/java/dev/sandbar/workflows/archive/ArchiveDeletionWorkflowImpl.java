package dev.sandbar.workflows.archive;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.ArchiveActivities;
import io.temporal.workflow.Workflow;

/** A durable timer, then one idempotent discard on the archive's host. */
public class ArchiveDeletionWorkflowImpl implements ArchiveDeletionWorkflow {

  @Override
  public void delete(ArchiveDeletion deletion) {
    // An archive transfer cannot outlive its start-to-close timeout: after that, no restore that
    // read the row before the delete is still reading the file.
    Workflow.sleep(ActivityOptionsCatalog.ARCHIVE_TRANSFER_TIMEOUT);
    Workflow.newActivityStub(
            ArchiveActivities.class, ActivityOptionsCatalog.archiveTransfers(deletion.hostId()))
        .discardArchive(deletion.archiveId());
  }
}
