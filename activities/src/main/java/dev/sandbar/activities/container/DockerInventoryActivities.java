package dev.sandbar.activities.container;

import dev.sandbar.workflows.activity.InventoryActivities;
import dev.sandbar.workflows.model.HostListing;
import dev.sandbar.workflows.model.ListedContainer;
import java.util.List;
import java.util.Objects;

/**
 * {@link InventoryActivities} over {@link DockerInventory}: what the reconciliation compares with
 * the read model. Read-only.
 */
public class DockerInventoryActivities implements InventoryActivities {

  private final DockerInventory inventory;

  public DockerInventoryActivities(DockerInventory inventory) {
    this.inventory = Objects.requireNonNull(inventory, "inventory");
  }

  @Override
  public HostListing listSandboxContainers() {
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
