package dev.sandbar.workflows.model;

import java.util.List;

/**
 * What a host's Docker daemon has of this installation: its sandbox containers and the sandbox ids
 * of its data volumes (with or without a container), read at {@code listedAtMs} (the host's clock).
 */
public record HostListing(
    List<ListedContainer> containers, List<String> volumeSandboxIds, long listedAtMs) {

  public HostListing {
    containers = containers == null ? List.of() : List.copyOf(containers);
    volumeSandboxIds = volumeSandboxIds == null ? List.of() : List.copyOf(volumeSandboxIds);
  }
}
