package dev.sandbar.activities.container;

import com.github.dockerjava.api.model.Container;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.PoolSlot;
import java.util.Map;

/**
 * How a listed container maps to its sandbox. Labels cannot change after creation, so a warm-pool
 * container says whose it is by its name: under its pool name it is nobody's (the pool's, not a
 * sandbox, never reconciled as one), renamed at claim to {@link ContainerRef#containerName()} it is
 * that sandbox's.
 */
final class PoolContainerNames {

  private static final String SANDBOX_PREFIX = "sandbar-";

  private PoolContainerNames() {}

  /** The sandbox a listed container belongs to, or null (a pool container, or no Sandbar label). */
  static String sandboxOf(Container container, Map<String, String> labels) {
    if (!labels.containsKey(ContainerLabels.POOL_SLOT)) {
      return labels.get(ContainerLabels.SANDBOX_ID);
    }
    String name = nameOf(container);
    if (name == null || name.startsWith(PoolSlot.NAME_PREFIX) || !name.startsWith(SANDBOX_PREFIX)) {
      return null;
    }
    return name.substring(SANDBOX_PREFIX.length());
  }

  /** The container's name without Docker's leading slash, or null. */
  static String nameOf(Container container) {
    String[] names = container.getNames();
    if (names == null || names.length == 0) {
      return null;
    }
    return names[0].startsWith("/") ? names[0].substring(1) : names[0];
  }
}
