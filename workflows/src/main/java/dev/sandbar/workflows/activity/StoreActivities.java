package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.model.Relocation;
import dev.sandbar.workflows.model.SandboxLifetime;
import dev.sandbar.workflows.model.Transition;
import io.temporal.activity.ActivityInterface;

/** PostgreSQL work. Runs on the shared control queue; any worker may execute it. */
@ActivityInterface
public interface StoreActivities {

  /**
   * Writes a transition to the sandboxes read model and the audit log in one transaction.
   * Idempotent: the audit row is keyed by the event id and the read model only accepts a higher
   * sequence number, so a retry (or a stale, late attempt) changes nothing.
   */
  void recordTransition(Transition transition);

  /**
   * Writes a sandbox's changed lifetime ({@code ttlSeconds}) into the read model's spec.
   * Idempotent: it sets the value, and the workflow waits for it before it changes the lifetime
   * again.
   */
  void recordLifetime(SandboxLifetime lifetime);

  /**
   * Chooses an online, undrained host with room and the requested labels and returns its id. Fails
   * permanently with {@code NO_HOST_CAPACITY}. A retry may choose another host, which is harmless
   * because nothing has been created yet when placement runs.
   */
  String placeSandbox(Placement placement);

  /**
   * Chooses another host for a sandbox that is moving off {@code fromHostId}, as {@link
   * #placeSandbox} chooses (that host excluded), and assigns it to the sandbox. Fails permanently
   * with {@code NO_HOST_CAPACITY}. A retry after a lost answer returns the host already assigned.
   */
  String relocateSandbox(Relocation relocation);
}
