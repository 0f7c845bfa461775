package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.SandboxSpec;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * Gives a sandbox that runs as a numeric user ({@code uid[:gid]}) its data path: a fresh volume
 * takes the image's ownership (root's, usually), so the user could not write its own data. Docker's
 * archive upload keeps a tar entry's owner, so one directory entry hands the mount point over
 * without running anything in the container. Named users keep the image's ownership (resolving a
 * name would mean reading the sandbox's own passwd file); their image should own the data path.
 */
final class DataPathOwner {

  private static final Pattern NUMERIC_USER = Pattern.compile("([0-9]{1,10})(?::([0-9]{1,10}))?");

  private DataPathOwner() {}

  /**
   * Makes the data path of the created, never started container {@code ref} owned by the spec's
   * numeric user; does nothing for other specs. Idempotent: it only sets the directory's owner and
   * mode.
   */
  static void handOver(DockerClient docker, ContainerRef ref, SandboxSpec spec) {
    String user = SandboxContainerConfig.user(spec);
    Matcher numeric = user == null ? null : NUMERIC_USER.matcher(user);
    if (numeric == null || !numeric.matches()) {
      return;
    }
    long uid = Long.parseLong(numeric.group(1));
    long gid = numeric.group(2) == null ? 0 : Long.parseLong(numeric.group(2));
    byte[] entry = directoryEntry(dataPath(spec), uid, gid);
    if (!spec.readOnlyRootFilesystem()) {
      upload(docker, ref.containerName(), entry);
      return;
    }
    // Docker refuses uploads into a read-only root even where the entry lands on a volume (the
    // upload goes to the mount point's parent), so a never-started helper container with only the
    // volume mounted takes it. Left over by a crash, it is replaced by the next attempt.
    String helper = ref.containerName() + "-owner";
    removeQuietly(docker, helper);
    docker
        .createContainerCmd(spec.image())
        .withName(helper)
        .withCmd("true")
        .withHostConfig(
            HostConfig.newHostConfig()
                .withNetworkMode("none")
                .withBinds(new Bind(ref.volumeName(), new Volume(dataPath(spec)))))
        .exec();
    try {
      upload(docker, helper, entry);
    } finally {
      removeQuietly(docker, helper);
    }
  }

  private static void upload(DockerClient docker, String container, byte[] tar) {
    docker
        .copyArchiveToContainerCmd(container)
        .withRemotePath("/")
        .withTarInputStream(new ByteArrayInputStream(tar))
        .exec();
  }

  private static void removeQuietly(DockerClient docker, String container) {
    try {
      docker.removeContainerCmd(container).withForce(true).exec();
    } catch (NotFoundException e) {
      // Not there: nothing to remove.
    }
  }

  private static String dataPath(SandboxSpec spec) {
    return spec.dataPath() == null || spec.dataPath().isBlank()
        ? SandboxContainerConfig.DEFAULT_DATA_PATH
        : spec.dataPath();
  }

  private static byte[] directoryEntry(String path, long uid, long gid) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
      tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
      TarArchiveEntry entry = new TarArchiveEntry(path.substring(1) + "/");
      entry.setMode(040755);
      entry.setUserId(uid);
      entry.setGroupId(gid);
      tar.putArchiveEntry(entry);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build a one-entry tar in memory", e);
    }
    return bytes.toByteArray();
  }
}
