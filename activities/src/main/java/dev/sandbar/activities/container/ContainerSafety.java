package dev.sandbar.activities.container;

import com.github.dockerjava.api.model.HostConfig;
import java.util.Map;

/**
 * What the worker adds to every container it creates so the sandbox cannot reach past its limits:
 * the {@link TrustedHelper}'s read-only mount and, where the storage driver supports it, a size
 * limit on the container's writable layer ({@code storage-opt size}).
 *
 * @param writableLayerBytes the writable layer's limit; 0 for none (unset, or the storage driver
 *     cannot enforce one: see {@link WritableLayerLimit})
 * @param writableLayerLimit what the host reports about the limit: {@link
 *     WritableLayerLimit#description()}
 */
public record ContainerSafety(
    TrustedHelper helper, long writableLayerBytes, String writableLayerLimit) {

  public ContainerSafety {
    if (writableLayerBytes < 0) {
      throw new IllegalArgumentException("writableLayerBytes must not be negative");
    }
  }

  /** The helper at its default path, no layer limit: tests and the one-argument constructors. */
  public static ContainerSafety defaults() {
    return new ContainerSafety(TrustedHelper.atDefaultPath(), 0, "not probed");
  }

  /** {@code config} with the helper mounted and the layer limit set. */
  HostConfig applyTo(HostConfig config) {
    HostConfig withHelper = helper.mountInto(config);
    if (writableLayerBytes > 0) {
      withHelper.withStorageOpt(Map.of("size", Long.toString(writableLayerBytes)));
    }
    return withHelper;
  }
}
