package dev.sandbar.workflows.sandbox;

import dev.sandbar.workflows.model.SandboxSpec;
import java.util.Set;

/**
 * Which sandboxes a warm-pool container can become. Pool containers are created before anyone asks,
 * with the image's command, user and health check, a writable root filesystem and the data volume
 * at the default path; what a claim can still change is the limits ({@code docker update}), the
 * network (connected at claim) and the environment (through the exec wrapper). A spec that asks for
 * anything else, or restores an archive, is created fresh.
 */
final class PoolShape {

  /** The data path pool containers mount their volume at (the activities' default). */
  static final String DATA_PATH = "/data";

  /** Network modes a claim can give a pool container: a network it can join after creation. */
  private static final Set<String> JOINABLE_NETWORKS = Set.of("isolated", "shared", "bridge");

  private PoolShape() {}

  static boolean fits(SandboxSpec spec) {
    return spec.restoreFrom() == null
        && (spec.command() == null || spec.command().isEmpty())
        && spec.healthcheck() == null
        && (spec.user() == null || spec.user().isBlank())
        && !spec.readOnlyRootFilesystem()
        && (spec.dataPath() == null
            || spec.dataPath().isBlank()
            || DATA_PATH.equals(spec.dataPath()))
        && (spec.networkMode() == null || JOINABLE_NETWORKS.contains(spec.networkMode()));
  }
}
