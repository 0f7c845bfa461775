package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.CREATING;

import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import java.util.List;

/**
 * What the workflow knows about its sandbox: what queries and updates answer, what each transition
 * records and what a continue-as-new carries. The workflow's helpers share this one instance.
 */
final class SandboxFacts {

  /** Replaced only when the sandbox's lifetime changes (its spec's {@code ttlSeconds}). */
  SandboxWorkflowInput input;

  SandboxState state;
  String hostId;
  String containerId;
  String error;
  String archiveId;
  long lastActivityAtMs;
  long updatedAtMs;
  long seq;

  SandboxFacts(SandboxWorkflowInput input, long nowMs) {
    this.input = input;
    SandboxWorkflowInput.Carried carried = input.carried();
    if (carried == null) {
      state = CREATING;
      lastActivityAtMs = nowMs;
    } else {
      state = carried.state();
      hostId = carried.hostId();
      containerId = carried.containerId();
      error = carried.error();
      archiveId = carried.archiveId();
      lastActivityAtMs = carried.lastActivityAtMs();
      seq = carried.seq();
    }
    updatedAtMs = nowMs;
  }

  SandboxView view() {
    return new SandboxView(
        input.sandboxId(),
        input.tenantId(),
        hostId,
        state,
        containerId,
        error,
        input.spec(),
        input.createdAtMs(),
        updatedAtMs,
        lastActivityAtMs,
        archiveId);
  }

  /** The input of this workflow's continuation, carrying the commands still running. */
  SandboxWorkflowInput continuation(List<String> runningTasks) {
    return new SandboxWorkflowInput(
        input.sandboxId(),
        input.tenantId(),
        input.spec(),
        input.createdAtMs(),
        new SandboxWorkflowInput.Carried(
            state, hostId, containerId, error, lastActivityAtMs, archiveId, runningTasks, seq));
  }
}
