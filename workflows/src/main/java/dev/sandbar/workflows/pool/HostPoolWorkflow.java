package dev.sandbar.workflows.pool;

import dev.sandbar.workflows.model.PoolSettings;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * Keeps one host's warm pool at its size: one long-running workflow per host, id {@code
 * host-pool-<hostId>}, started (or re-configured) by the host's worker when it starts. A pass
 * removes dead, surplus and wrong-image containers and creates the missing ones; passes run every
 * {@link PoolSettings#checkSeconds} and at once after a claim. A host worker that is gone simply
 * leaves the pass's host activities waiting for their pick-up timeout.
 */
@WorkflowInterface
public interface HostPoolWorkflow {

  /** Runs passes for ever (continuing as new now and then). */
  @WorkflowMethod
  void keep(PoolSettings settings);

  /** A create claimed a container: refill now. */
  @SignalMethod
  void claimed();

  /** The worker started with these settings (size or image may have changed). */
  @SignalMethod
  void configure(PoolSettings settings);
}
