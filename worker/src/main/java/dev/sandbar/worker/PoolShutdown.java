package dev.sandbar.worker;

import dev.sandbar.workflows.activity.PoolHostActivities;
import dev.sandbar.workflows.activity.PoolStoreActivities;
import dev.sandbar.workflows.model.PooledContainer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Empties the host's warm pool when its worker stops gracefully: containers nobody can claim while
 * the worker is gone would only hold memory, and a host taken out of service (or a throw-away
 * installation such as a test's) must not leave them behind. A container a create claimed just
 * before is that sandbox's and stays. The next start refills the pool.
 */
final class PoolShutdown {

  private static final Logger log = LoggerFactory.getLogger(PoolShutdown.class);

  private PoolShutdown() {}

  static void empty(String hostId, PoolHostActivities docker, PoolStoreActivities store) {
    try {
      for (PooledContainer container : docker.listPoolContainers()) {
        if (store.retirePoolContainer(container.slot())) {
          docker.removePoolContainer(container.slot());
          store.forgetPoolContainer(container.slot());
        }
      }
    } catch (RuntimeException failure) {
      // The next start's pool pass removes what is left (dead or unknown containers).
      log.warn("could not empty the warm pool of host {}: {}", hostId, failure.toString());
    }
  }
}
