package dev.sandbar.workflows.activity;

import dev.sandbar.workflows.model.HostListing;
import io.temporal.activity.ActivityInterface;

/**
 * Reading one host's Docker daemon for reconciliation. Runs on that host's queue, so a listing that
 * is not picked up or not answered in time is how a dead host shows (see {@code
 * ActivityOptionsCatalog.hostListing}).
 */
@ActivityInterface
public interface InventoryActivities {

  /** This installation's sandbox containers on the host (one Docker call) and its data volumes. */
  HostListing listSandboxContainers();
}
