package dev.sandbar.workflows.model;

/**
 * What a host reports about a sandbox (start-up recovery, reconciliation): the state its container
 * is really in.
 *
 * @param basedOnSeq null for start-up recovery, which the workflow always adopts; for
 *     reconciliation, the sequence number of the read-model row the report was compared with. The
 *     workflow ignores such a report when it has moved on since (another sequence number), when an
 *     operation is in flight or queued, when it is in error, and a {@code missing} report unless it
 *     is running or paused.
 */
public record Observation(
    SandboxState state, String hostId, String containerId, String reason, Long basedOnSeq) {

  /** An observation the workflow always adopts (start-up recovery). */
  public Observation(SandboxState state, String hostId, String containerId, String reason) {
    this(state, hostId, containerId, reason, null);
  }

  /** Whether this report comes from reconciliation and is judged against the workflow's state. */
  public boolean fromReconciliation() {
    return basedOnSeq != null;
  }
}
