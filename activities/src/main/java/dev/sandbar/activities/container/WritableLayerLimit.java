package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.CreateContainerResponse;
import com.github.dockerjava.api.exception.DockerException;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Info;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Whether this host's Docker storage driver can cap a container's writable layer ({@code
 * storage-opt size}). btrfs, zfs, devicemapper and windowsfilter can; overlay2 only on an xfs
 * backing file system mounted with {@code pquota}, which Docker's info does not show, so there the
 * answer comes from creating (never starting) a throw-away container with the option; Docker
 * refuses it at create where it is not supported. Every other driver (overlay2 on ext4, vfs, ...)
 * cannot.
 *
 * @param supported whether a limit is applied to new containers
 * @param description what the host reports: {@code supported (driver)} or {@code unsupported: why}
 */
public record WritableLayerLimit(boolean supported, String description) {

  private static final Set<String> ALWAYS = Set.of("btrfs", "zfs", "devicemapper", "windowsfilter");

  /** Asks the daemon. Never throws: a failed probe reports the limit as unsupported, and why. */
  public static WritableLayerLimit probe(DockerClient docker) {
    String driver = "unknown";
    try {
      Info info = docker.infoCmd().exec();
      driver = info.getDriver() == null ? "unknown" : info.getDriver();
      if (ALWAYS.contains(driver)) {
        return new WritableLayerLimit(true, "supported (" + driver + ")");
      }
      if (!driver.equals("overlay2")) {
        return new WritableLayerLimit(false, "unsupported: storage driver " + driver);
      }
      String backing = backingFileSystem(info);
      if (!"xfs".equals(backing)) {
        return new WritableLayerLimit(
            false,
            "unsupported: storage driver overlay2 on "
                + (backing == null ? "an unknown file system" : backing)
                + " (needs xfs mounted with pquota)");
      }
      return tryCreate(docker, driver);
    } catch (DockerException | IllegalStateException e) {
      return new WritableLayerLimit(
          false, "unsupported: " + driver + " could not be probed: " + e.getMessage());
    }
  }

  private static String backingFileSystem(Info info) {
    List<List<String>> status = info.getDriverStatuses();
    if (status == null) {
      return null;
    }
    for (List<String> pair : status) {
      if (pair.size() == 2 && "Backing Filesystem".equals(pair.get(0))) {
        return pair.get(1);
      }
    }
    return null;
  }

  private static WritableLayerLimit tryCreate(DockerClient docker, String driver) {
    List<Image> images = docker.listImagesCmd().exec();
    if (images.isEmpty()) {
      return new WritableLayerLimit(false, "unsupported: no image to probe " + driver + " with");
    }
    String name = "sandbar-layer-probe-" + UUID.randomUUID();
    try {
      CreateContainerResponse created =
          docker
              .createContainerCmd(images.get(0).getId())
              .withName(name)
              .withHostConfig(
                  HostConfig.newHostConfig().withStorageOpt(Map.of("size", "1073741824")))
              .exec();
      docker.removeContainerCmd(created.getId()).withForce(true).exec();
      return new WritableLayerLimit(true, "supported (" + driver + " on xfs with pquota)");
    } catch (DockerException e) {
      return new WritableLayerLimit(
          false,
          "unsupported: Docker refused storage-opt size on "
              + driver
              + ": "
              + DockerFailures.dockerMessage(e));
    }
  }
}
