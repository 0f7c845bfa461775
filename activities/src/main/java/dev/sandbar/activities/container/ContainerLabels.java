package dev.sandbar.activities.container;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The {@code sandbar.*} labels on every container and data volume Sandbar creates: the one list of
 * their names, and the label sets built from them. They are how a host finds its sandboxes again
 * (start-up recovery, reconciliation) and how tests and operators find what a sandbox left behind.
 */
public final class ContainerLabels {

  /** The sandbox the container or volume belongs to. */
  public static final String SANDBOX_ID = "sandbar.sandbox-id";

  /** The host (worker) that created it. */
  public static final String HOST_ID = "sandbar.host-id";

  /** The sandbox's tenant; empty when it has none. */
  public static final String TENANT_ID = "sandbar.tenant-id";

  /**
   * The installation (deployment) that created it. Docker daemons may be shared with other
   * installations or outlive a data directory; Sandbar only ever lists what carries its own id.
   */
  public static final String INSTALLATION = "sandbar.installation";

  /**
   * On containers and tenant networks: the sandbox's network mode ({@code isolated}, {@code
   * shared}, ...), which tells a start which tenant network to re-create if it went missing.
   */
  public static final String NETWORK_MODE = "sandbar.network-mode";

  /**
   * On warm-pool containers and their volumes: the pool slot. A pool container under its pool name
   * is no sandbox's; once claimed it carries the sandbox's name (labels cannot change).
   */
  public static final String POOL_SLOT = "sandbar.pool-slot";

  /** {@code true} on everything Sandbar manages. */
  public static final String MANAGED = "sandbar.managed";

  /** User labels are namespaced so they can never overwrite the labels Sandbar relies on. */
  public static final String USER_LABEL_PREFIX = "sandbar.label.";

  /** Every label name Sandbar sets itself (user labels aside). */
  public static final List<String> NAMES =
      List.of(SANDBOX_ID, HOST_ID, TENANT_ID, MANAGED, INSTALLATION);

  private ContainerLabels() {}

  /**
   * The labels of a sandbox's container and volume: Sandbar's own, and the user's under {@link
   * #USER_LABEL_PREFIX}; a null tenant or user label value becomes empty.
   */
  public static Map<String, String> forSandbox(
      String sandboxId,
      String hostId,
      String tenantId,
      String installationId,
      Map<String, String> userLabels) {
    Map<String, String> labels = new TreeMap<>();
    if (userLabels != null) {
      userLabels.forEach((k, v) -> labels.put(USER_LABEL_PREFIX + k, v == null ? "" : v));
    }
    labels.put(SANDBOX_ID, sandboxId);
    labels.put(HOST_ID, hostId);
    labels.put(TENANT_ID, tenantId == null ? "" : tenantId);
    labels.put(MANAGED, "true");
    labels.put(INSTALLATION, installationId);
    return labels;
  }

  /**
   * The labels of a warm-pool container and its volume: Sandbar's own and the slot, no sandbox or
   * tenant (the sandbox that claims it is told by the container's name, see {@link #POOL_SLOT}).
   */
  public static Map<String, String> forPoolSlot(
      String slotId, String hostId, String installationId) {
    Map<String, String> labels = new TreeMap<>();
    labels.put(MANAGED, "true");
    labels.put(INSTALLATION, installationId);
    labels.put(HOST_ID, hostId);
    labels.put(POOL_SLOT, slotId);
    return labels;
  }

  /** What selects everything one installation manages for one host, as a container label filter. */
  public static Map<String, String> managedBy(String installationId, String hostId) {
    return Map.of(MANAGED, "true", INSTALLATION, installationId, HOST_ID, hostId);
  }

  /** The same selection as {@code name=value} terms, as volume filters take it. */
  public static List<String> managedByTerms(String installationId, String hostId) {
    return List.of(MANAGED + "=true", INSTALLATION + "=" + installationId, HOST_ID + "=" + hostId);
  }
}
