package dev.sandbar.workflows.model;

/**
 * Starts or continues a sandbox workflow.
 *
 * @param carried the state carried across continue-as-new or adopted by recovery; null for a new
 *     sandbox, which is then placed and created
 */
public record SandboxWorkflowInput(
    String sandboxId, String tenantId, SandboxSpec spec, long createdAtMs, Carried carried) {

  /** This input with another spec (the same sandbox, its lifetime changed). */
  public SandboxWorkflowInput withSpec(SandboxSpec changed) {
    return new SandboxWorkflowInput(sandboxId, tenantId, changed, createdAtMs, carried);
  }

  /** What a running sandbox workflow hands to its continuation. */
  public record Carried(
      SandboxState state,
      String hostId,
      String containerId,
      String error,
      long lastActivityAtMs,
      String archiveId,
      java.util.List<String> runningTasks,
      long seq) {}
}
