package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Image;
import com.github.dockerjava.api.model.Info;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/** Reads what a host offers (CPUs, memory, images) for registration and heartbeats. */
public final class DockerHostProbe {

  /**
   * What the Docker daemon reports about its machine.
   *
   * @param writableLayerLimit whether the storage driver limits a container's writable layer
   * @param userNamespaces whether the daemon runs containers in a user namespace ({@code
   *     userns-remap}), so container root is an unprivileged user on the host
   */
  public record HostFacts(
      double cpus,
      long memoryMb,
      List<String> images,
      String writableLayerLimit,
      boolean userNamespaces) {}

  private final DockerClient docker;
  private final String writableLayerLimit;

  public DockerHostProbe(DockerClient docker) {
    this(docker, null);
  }

  /**
   * @param writableLayerLimit what the worker found about the writable layer limit at start ({@link
   *     ContainerSafety#writableLayerLimit()}), reported with every registration
   */
  public DockerHostProbe(DockerClient docker, String writableLayerLimit) {
    this.docker = docker;
    this.writableLayerLimit = writableLayerLimit;
  }

  /** Asks the daemon; throws if it does not answer. */
  public HostFacts probe() {
    Info info = docker.infoCmd().exec();
    List<String> images = new ArrayList<>();
    for (Image image : docker.listImagesCmd().exec()) {
      String[] tags = image.getRepoTags();
      if (tags != null) {
        for (String tag : tags) {
          if (!"<none>:<none>".equals(tag)) {
            images.add(tag);
          }
        }
      }
    }
    int cpus = Objects.requireNonNullElse(info.getNCPU(), 1);
    long memory = Objects.requireNonNullElse(info.getMemTotal(), 1024L * 1024 * 1024);
    return new HostFacts(
        cpus,
        memory / (1024 * 1024),
        List.copyOf(images),
        writableLayerLimit,
        userNamespaces(info));
  }

  /** Docker lists {@code name=userns} among its security options when it remaps users. */
  static boolean userNamespaces(Info info) {
    List<String> options = info.getSecurityOptions();
    return options != null && options.stream().anyMatch(option -> option.startsWith("name=userns"));
  }

  /** True when the daemon answers a ping. */
  public boolean reachable() {
    return DockerClients.isReachable(docker);
  }
}
