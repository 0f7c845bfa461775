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
 * @param health what the container's health check says, when the report is about a running
 *     container whose health differs from the read model's (null otherwise)
 */
public record Observation(
    SandboxState state,
    String hostId,
    String containerId,
    String reason,
    Long basedOnSeq,
    Health health) {

  /** A report of the container's state alone. */
  public Observation(
      SandboxState state, String hostId, String containerId, String reason, Long basedOnSeq) {
    this(state, hostId, containerId, reason, basedOnSeq, null);
  }

  /** An observation the workflow always adopts (start-up recovery). */
  public Observation(SandboxState state, String hostId, String containerId, String reason) {
    this(state, hostId, containerId, reason, null);
  }

  /** Whether this report comes from reconciliation and is judged against the workflow's state. */
  public boolean fromReconciliation() {
    return basedOnSeq != null;
  }
}
