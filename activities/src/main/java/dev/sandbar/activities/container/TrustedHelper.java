package dev.sandbar.activities.container;

import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Mount;
import com.github.dockerjava.api.model.MountType;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;

/**
 * The statically linked busybox Sandbar runs its own scripts with, bind-mounted read-only from the
 * host into every container at {@link #CONTAINER_PATH}. A sandbox owns everything else in its file
 * system (it can replace {@code /bin/sh} with a program that prints for ever), so nothing Sandbar
 * runs there for itself may come from it. A read-only bind of a root-owned 0755 file works for a
 * non-root container user and under a read-only root file system alike.
 *
 * @param hostPath the busybox on the Docker daemon's machine (Docker resolves bind sources there)
 */
public record TrustedHelper(Path hostPath) {

  /** Where the helper appears in every container Sandbar creates. */
  public static final String CONTAINER_PATH = "/.sandbar/bin/busybox";

  /** Debian's {@code busybox-static}, which {@code scripts/setup.sh} also builds the image from. */
  public static final Path DEFAULT_HOST_PATH = Path.of("/bin/busybox");

  private static final int PT_INTERP = 3;

  /** The helper at {@link #DEFAULT_HOST_PATH}, unchecked (tests and defaults). */
  public static TrustedHelper atDefaultPath() {
    return new TrustedHelper(DEFAULT_HOST_PATH);
  }

  /**
   * The helper at {@code hostPath}, once it is known to be a statically linked executable: a
   * dynamically linked one would load its libraries from the sandbox's file system.
   *
   * @throws IllegalStateException naming the path, what is wrong and how to fix it
   */
  public static TrustedHelper checked(Path hostPath) {
    String fix =
        " (install Debian's busybox-static, or point SANDBAR_HELPER_BUSYBOX at a statically linked"
            + " busybox on the Docker daemon's machine)";
    if (!Files.isRegularFile(hostPath)) {
      throw new IllegalStateException("trusted helper " + hostPath + " is not a file" + fix);
    }
    if (!Files.isExecutable(hostPath)) {
      throw new IllegalStateException("trusted helper " + hostPath + " is not executable" + fix);
    }
    try {
      if (!isStaticElf(hostPath)) {
        throw new IllegalStateException(
            "trusted helper " + hostPath + " is not a statically linked ELF executable" + fix);
      }
    } catch (IOException e) {
      throw new IllegalStateException(
          "trusted helper " + hostPath + " cannot be read: " + e.getMessage() + fix, e);
    }
    return new TrustedHelper(hostPath);
  }

  /** {@code config} with the helper's read-only bind added to its mounts. */
  HostConfig mountInto(HostConfig config) {
    List<Mount> mounts = new ArrayList<>();
    if (config.getMounts() != null) {
      mounts.addAll(config.getMounts());
    }
    mounts.add(
        new Mount()
            .withType(MountType.BIND)
            .withSource(hostPath.toString())
            .withTarget(CONTAINER_PATH)
            .withReadOnly(true));
    return config.withMounts(mounts);
  }

  /** An ELF file without a program interpreter (PT_INTERP), i.e. not dynamically linked. */
  static boolean isStaticElf(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer header = ByteBuffer.allocate(64);
      channel.read(header, 0);
      header.flip();
      if (header.remaining() < 52
          || header.get(0) != 0x7f
          || header.get(1) != 'E'
          || header.get(2) != 'L'
          || header.get(3) != 'F') {
        return false;
      }
      boolean wide = header.get(4) == 2;
      header.order(header.get(5) == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN);
      long phoff = wide ? header.getLong(0x20) : Integer.toUnsignedLong(header.getInt(0x1C));
      int phentsize = Short.toUnsignedInt(header.getShort(wide ? 0x36 : 0x2A));
      int phnum = Short.toUnsignedInt(header.getShort(wide ? 0x38 : 0x2C));
      if (phentsize < 4 || phnum == 0) {
        return false;
      }
      ByteBuffer type = ByteBuffer.allocate(4).order(header.order());
      for (int i = 0; i < phnum; i++) {
        type.clear();
        if (channel.read(type, phoff + (long) i * phentsize) < 4) {
          return false;
        }
        if (type.getInt(0) == PT_INTERP) {
          return false;
        }
      }
      return true;
    }
  }
}
