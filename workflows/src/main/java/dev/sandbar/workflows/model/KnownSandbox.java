package dev.sandbar.workflows.model;

/**
 * A sandbox as the read model has it, for reconciliation: where, in what state, at which seq, and
 * the health last recorded since its last transition (null: none recorded).
 */
public record KnownSandbox(
    String id, String tenantId, String hostId, SandboxState state, long seq, Health health) {

  public KnownSandbox(String id, String tenantId, String hostId, SandboxState state, long seq) {
    this(id, tenantId, hostId, state, seq, null);
  }
}
