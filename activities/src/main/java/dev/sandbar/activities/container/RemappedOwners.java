package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.model.Info;
import dev.sandbar.activities.archive.OwnerShift;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which host ids the daemon's containers run as, asked once per worker: a daemon started with
 * {@code userns-remap} keeps its data in a root directory named after the remapped root user and
 * group ({@code /var/lib/docker/100000.100000}), the one place its API tells the base.
 */
final class RemappedOwners {

  private static final Pattern REMAPPED_ROOT = Pattern.compile(".*/(\\d+)\\.(\\d+)/?$");

  private final DockerClient docker;
  private volatile OwnerShift known;

  RemappedOwners(DockerClient docker) {
    this.docker = docker;
  }

  /** The daemon's shift, asked on first use (a daemon does not change it without a restart). */
  OwnerShift shift() {
    OwnerShift shift = known;
    if (shift == null) {
      shift = of(docker.infoCmd().exec());
      known = shift;
    }
    return shift;
  }

  static OwnerShift of(Info info) {
    return DockerHostProbe.userNamespaces(info)
        ? fromRootDir(info.getDockerRootDir())
        : OwnerShift.NONE;
  }

  /** The base a remapped daemon's root directory names; none for any other directory. */
  static OwnerShift fromRootDir(String rootDir) {
    if (rootDir == null) {
      return OwnerShift.NONE;
    }
    Matcher matcher = REMAPPED_ROOT.matcher(rootDir);
    if (!matcher.matches()) {
      return OwnerShift.NONE;
    }
    return new OwnerShift(Long.parseLong(matcher.group(1)), Long.parseLong(matcher.group(2)));
  }
}
