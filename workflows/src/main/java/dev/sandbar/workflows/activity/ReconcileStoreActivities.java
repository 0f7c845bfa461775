package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.KnownSandbox;
import dev.sandbar.workflows.model.ReconcileTarget;
import dev.sandbar.workflows.model.SystemEvent;
import dev.sandbar.workflows.model.UnclaimedReport;
import io.temporal.activity.ActivityInterface;
import java.util.List;

/** The database side of reconciliation. Runs on the shared control queue. */
@ActivityInterface
public interface ReconcileStoreActivities {

  /** Every registered host, in id order. */
  List<ReconcileTarget> reconcileTargets();

  /** The sandboxes the read model has on {@code hostId}, destroyed ones aside: one query. */
  List<KnownSandbox> sandboxesOn(String hostId);

  /** The rows of {@code sandboxIds} that exist, in any state (destroyed ones included). */
  List<KnownSandbox> sandboxesByIds(List<String> sandboxIds);

  /**
   * Marks the host unreachable unless it is already (a drain, kept apart, stays); writes the event
   * to the host's audit trail when the state changed. Returns whether it changed.
   */
  boolean markHostUnreachable(SystemEvent event);

  /** Marks an unreachable host online again and writes the event; returns whether it changed. */
  boolean markHostReachable(SystemEvent event);

  /**
   * Makes {@code unclaimed} the host's list of unclaimed containers (what {@code GET /v1/hosts}
   * shows); one whole list per host and pass, an empty one clears it.
   */
  void recordUnclaimed(String hostId, List<UnclaimedReport> unclaimed);

  /** Writes a system event (and, for a known sandbox, an entry in its audit trail). */
  void recordSystemEvent(SystemEvent event);
}
