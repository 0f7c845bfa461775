package dev.sandbar.workflows;

/**
 * The workflow-id formats, in one place every package may depend on: a sandbox's workflow and its
 * commands' workflows find each other by these ids alone.
 */
public final class WorkflowIds {

  private WorkflowIds() {}

  /** The sandbox workflow: {@code sandbox-<sandboxId>}. */
  public static String sandbox(String sandboxId) {
    return "sandbox-" + sandboxId;
  }

  /** A command's workflow: {@code exec-<sandboxId>-<taskId>}. */
  public static String exec(String sandboxId, String taskId) {
    return "exec-" + sandboxId + "-" + taskId;
  }

  /** The workflow deleting an archive's file: {@code archive-delete-<archiveId>}. */
  public static String archiveDeletion(String archiveId) {
    return "archive-delete-" + archiveId;
  }

  /**
   * The one reconciliation cron of the whole fleet: {@code host-reconcile} (a single id, so every
   * worker can start it and the first one wins).
   */
  public static String hostReconcile() {
    return "host-reconcile";
  }

  /** The warm pool of one host: {@code host-pool-<hostId>}. */
  public static String hostPool(String hostId) {
    return "host-pool-" + hostId;
  }
}
