package dev.sandbar.activities.container;

import dev.sandbar.workflows.activity.InventoryActivities;
import dev.sandbar.workflows.model.HostListing;
import dev.sandbar.workflows.model.ListedContainer;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link InventoryActivities} over {@link DockerInventory}: what the reconciliation compares with
 * the read model. The listing changes nothing; beside it, the pass's one chore on the host runs:
 * removing the tenant networks that have had no container for their idle grace.
 */
public class DockerInventoryActivities implements InventoryActivities {

  private static final Logger log = LoggerFactory.getLogger(DockerInventoryActivities.class);

  private final DockerInventory inventory;
  private final Runnable networkSweep;
  private final AtomicBoolean sweeping = new AtomicBoolean();

  /** Lists only; removes no network. */
  public DockerInventoryActivities(DockerInventory inventory) {
    this(inventory, () -> {});
  }

  /** Lists, then removes the idle networks of {@code host}. */
  public DockerInventoryActivities(DockerInventory inventory, DockerHostActivities host) {
    this(inventory, host::removeIdleNetworks);
  }

  private DockerInventoryActivities(DockerInventory inventory, Runnable networkSweep) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
    this.networkSweep = networkSweep;
  }

  /**
   * Lists, then starts the network sweep beside the answer (unless the last one still runs): the
   * listing's timeouts decide whether the host is reachable, so nothing else may lengthen it.
   */
  @Override
  public HostListing listSandboxContainers() {
    HostListing listing = list();
    if (sweeping.compareAndSet(false, true)) {
      Thread.ofVirtual().name("sandbar-network-sweep").start(this::sweep);
    }
    return listing;
  }

  private void sweep() {
    try {
      networkSweep.run();
    } catch (RuntimeException e) {
      // A network left over is removed by a later pass.
      log.warn("could not remove idle networks: {}", e.toString());
    } finally {
      sweeping.set(false);
    }
  }

  private HostListing list() {
    List<ListedContainer> containers =
        inventory.containers().stream()
            .map(
                c ->
                    new ListedContainer(
                        c.sandboxId(),
                        c.tenantId(),
                        c.containerId(),
                        c.status(),
                        c.exitCode(),
                        c.createdAtMs(),
                        c.health()))
            .toList();
    List<String> volumes = inventory.volumeSandboxIds().stream().sorted().toList();
    return new HostListing(containers, volumes, System.currentTimeMillis());
  }
}
