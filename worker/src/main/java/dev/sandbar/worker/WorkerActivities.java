package dev.sandbar.worker;

import dev.sandbar.activities.container.DockerArchiveActivities;
import dev.sandbar.activities.container.DockerCommandActivities;
import dev.sandbar.activities.container.DockerHostActivities;
import dev.sandbar.activities.container.DockerInventoryActivities;
import dev.sandbar.activities.container.DockerMetricsActivities;
import dev.sandbar.activities.container.DockerPoolActivities;
import dev.sandbar.activities.container.DockerTaskFileActivities;
import dev.sandbar.activities.container.DockerTaskStreamActivities;
import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
import dev.sandbar.activities.database.JdbiHealthStoreActivities;
import dev.sandbar.activities.database.JdbiPoolStoreActivities;
import dev.sandbar.activities.database.JdbiReconcileStoreActivities;
import dev.sandbar.activities.database.JdbiStoreActivities;
import dev.sandbar.activities.database.JdbiTaskStoreActivities;

/**
 * The activity implementations one host's worker registers: the database ones on the shared control
 * queue, the Docker ones on the host's own queue, and the command waits on the host's command-wait
 * queue, over a Docker client of their own so their polls never take the connections container
 * calls need.
 */
record WorkerActivities(
    JdbiStoreActivities store,
    JdbiTaskStoreActivities taskStore,
    JdbiArchiveStoreActivities archiveStore,
    DockerHostActivities docker,
    DockerCommandActivities commands,
    DockerArchiveActivities archives,
    JdbiReconcileStoreActivities reconcileStore,
    DockerInventoryActivities inventory,
    DockerMetricsActivities metrics,
    ReconcileMetrics reconcileMetrics,
    JdbiHealthStoreActivities healthStore,
    DockerTaskFileActivities taskFiles,
    DockerCommandActivities commandWaits,
    DockerTaskStreamActivities streams,
    JdbiPoolStoreActivities poolStore,
    DockerPoolActivities pool) {

  /** What the control queue's workers run: reads and writes of the database. */
  Object[] control() {
    return new Object[] {
      store, taskStore, archiveStore, reconcileStore, reconcileMetrics, healthStore, poolStore
    };
  }

  /** What the host queue's worker runs: calls to this host's Docker daemon. */
  Object[] host() {
    return new Object[] {docker, commands, archives, inventory, metrics, taskFiles, pool};
  }

  /**
   * What the command-wait queue's worker runs: the long waits on running commands, and the reads
   * and stdin writes of clients following them, which wait too.
   */
  Object[] commandWaitQueue() {
    return new Object[] {commandWaits, streams};
  }
}
