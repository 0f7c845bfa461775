package dev.sandbar.workflows.archive;

import dev.sandbar.workflows.WorkflowIds;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Removes a deleted archive's file from the store of the host that wrote it, id {@code
 * archive-delete-<archiveId>}. The archive row is already marked deleted, so nothing new can start
 * reading the file; the workflow first waits out the longest a restore that began before the delete
 * may still be streaming it.
 */
@WorkflowInterface
public interface ArchiveDeletionWorkflow {

  static String workflowId(String archiveId) {
    return WorkflowIds.archiveDeletion(archiveId);
  }

  @WorkflowMethod
  void delete(ArchiveDeletion deletion);

  /** Which archive, and the host whose store holds it. */
  record ArchiveDeletion(String archiveId, String hostId) {}
}
