package dev.sandbar.store.host;

import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a worker announces about its Docker host when it starts.
 *
 * @param taskQueue the host queue its Docker activities run on
 * @param maxSandboxes the most sandboxes (of any state but destroyed) the host may hold
 * @param labels placement labels such as {@code gpu}; a sandbox asking for labels only lands on a
 *     host that has all of them
 * @param images the image references ({@code repository:tag}) the host's Docker daemon holds;
 *     images are never pulled, so a sandbox only lands on a host that has its image
 * @param writableLayerLimit whether the host's storage driver limits a container's writable layer:
 *     {@code supported (driver)...} or {@code unsupported: why}; null when not probed
 * @param userNamespaces whether the host's Docker daemon remaps container root to an unprivileged
 *     host user (userns-remap); null when unknown
 */
public record HostRegistration(
    String hostId,
    String taskQueue,
    double cpus,
    long memoryMb,
    int maxSandboxes,
    List<String> labels,
    List<String> images,
    @Nullable String writableLayerLimit,
    @Nullable Boolean userNamespaces) {

  public HostRegistration {
    labels = labels == null ? List.of() : List.copyOf(labels);
    images = images == null ? List.of() : List.copyOf(images);
  }

  /** A registration that says nothing about the writable layer limit or user namespaces. */
  public HostRegistration(
      String hostId,
      String taskQueue,
      double cpus,
      long memoryMb,
      int maxSandboxes,
      List<String> labels,
      List<String> images) {
    this(hostId, taskQueue, cpus, memoryMb, maxSandboxes, labels, images, null, null);
  }
}
