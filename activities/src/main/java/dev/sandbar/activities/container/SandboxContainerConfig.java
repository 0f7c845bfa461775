package dev.sandbar.activities.container;

import com.github.dockerjava.api.model.Bind;
import com.github.dockerjava.api.model.Capability;
import com.github.dockerjava.api.model.HealthCheck;
import com.github.dockerjava.api.model.HostConfig;
import com.github.dockerjava.api.model.Volume;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.Healthcheck;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

/**
 * How a {@link SandboxSpec} becomes a Docker container's configuration: locked-down security,
 * resource limits, the data volume's mount, the command and environment. Pure: asks Docker nothing.
 */
public final class SandboxContainerConfig {

  /**
   * What a sandbox keeps after dropping every capability (the OWASP Docker cheat sheet's rule 3:
   * drop all, add back only what is needed), with {@code no-new-privileges} so no set-id binary can
   * raise them again. Kept: CHOWN, FOWNER, SETUID and SETGID, which package managers need (they
   * chown what they unpack and drop to their own users), KILL so a command that switched users can
   * still be signalled by its process group, NET_BIND_SERVICE for servers on low ports. Dropped
   * from Docker's default set: DAC_OVERRIDE (root ignoring file modes) and FSETID, which no agent
   * workload or Sandbar script needs; NET_RAW (raw-socket spoofing), MKNOD, SYS_CHROOT, SETPCAP,
   * SETFCAP, AUDIT_WRITE. Sandbar's own scripts run as the sandbox's user on files it owns, and
   * archives travel through Docker's archive API, so they need none of them.
   */
  public static final List<Capability> SANDBOX_CAPABILITIES =
      List.of(
          Capability.CHOWN,
          Capability.FOWNER,
          Capability.KILL,
          Capability.SETGID,
          Capability.SETUID,
          Capability.NET_BIND_SERVICE);

  /**
   * Keeps a sandbox alive when the spec names no command; images such as busybox default to a shell
   * that exits at once without a terminal. Both busybox and GNU sleep accept "infinity".
   */
  public static final List<String> IDLE_COMMAND = List.of("sleep", "infinity");

  public static final String DEFAULT_DATA_PATH = "/data";
  public static final String DEFAULT_NETWORK_MODE = "bridge";

  /** Writable by every user, sticky, no device files or set-id binaries. */
  private static final String SCRATCH_OPTIONS = "rw,nosuid,nodev,mode=1777";

  private static final int MAX_HOSTNAME_LENGTH = 63;
  private static final long MIB = 1024L * 1024L;

  private SandboxContainerConfig() {}

  /** The spec's network mode, or {@link #DEFAULT_NETWORK_MODE}. */
  static String networkMode(SandboxSpec spec) {
    return orDefault(spec.networkMode(), DEFAULT_NETWORK_MODE);
  }

  /** The spec's command, or {@link #IDLE_COMMAND} when it names none. */
  static List<String> command(SandboxSpec spec) {
    return spec.command() == null || spec.command().isEmpty() ? IDLE_COMMAND : spec.command();
  }

  static HostConfig hostConfig(ContainerRef ref, SandboxSpec spec, String networkMode) {
    return hostConfig(ref.volumeName(), spec, networkMode);
  }

  /** The host config of a container whose data volume is {@code volumeName}. */
  static HostConfig hostConfig(String volumeName, SandboxSpec spec, String networkMode) {
    Resources resources = spec.resources() == null ? Resources.DEFAULT : spec.resources();
    HostConfig config =
        HostConfig.newHostConfig()
            .withInit(true)
            .withPrivileged(false)
            .withCapDrop(Capability.ALL)
            .withCapAdd(SANDBOX_CAPABILITIES.toArray(Capability[]::new))
            .withSecurityOpts(List.of("no-new-privileges"))
            .withNetworkMode(networkMode)
            .withBinds(
                new Bind(volumeName, new Volume(orDefault(spec.dataPath(), DEFAULT_DATA_PATH))));
    Map<String, String> scratch = scratchMounts(spec);
    if (!scratch.isEmpty()) {
      config.withTmpFs(scratch);
    }
    if (spec.readOnlyRootFilesystem()) {
      config.withReadonlyRootfs(true);
    }
    // Zero means "no limit" to Docker; the API fills real limits, so zero only comes from tests
    // or hand-written specs and keeps Docker's meaning.
    if (resources.memoryMb() > 0) {
      long bytes = memoryBytes(resources);
      // Swap equal to memory means no swap: a sandbox over its limit is OOM-killed, not slowed.
      config.withMemory(bytes).withMemorySwap(bytes);
    }
    if (resources.cpus() > 0) {
      config.withNanoCPUs(nanoCpus(resources));
    }
    if (resources.pids() > 0) {
      config.withPidsLimit(resources.pids());
    }
    return config;
  }

  /** The memory limit in bytes (meaningful when {@code memoryMb > 0}). */
  static long memoryBytes(Resources resources) {
    return Math.multiplyExact(resources.memoryMb(), MIB);
  }

  /** The CPU limit as Docker's nano-CPUs (meaningful when {@code cpus > 0}). */
  static long nanoCpus(Resources resources) {
    return Math.round(resources.cpus() * 1_000_000_000d);
  }

  /**
   * The spec's own health check (Docker takes durations in nanoseconds); null keeps the image's.
   */
  static HealthCheck healthcheck(SandboxSpec spec) {
    Healthcheck check = spec.healthcheck();
    if (check == null) {
      return null;
    }
    return new HealthCheck()
        .withTest(check.test())
        .withInterval(TimeUnit.SECONDS.toNanos(check.intervalSeconds()))
        .withTimeout(TimeUnit.SECONDS.toNanos(check.timeoutSeconds()))
        .withRetries(check.retries())
        .withStartPeriod(TimeUnit.SECONDS.toNanos(check.startPeriodSeconds()));
  }

  /**
   * The tmpfs mounts a sandbox needs where its root filesystem is read-only or it runs as another
   * user: {@code /tmp}, and Sandbar's task directory, which the exec wrapper (running as the
   * sandbox's user) must be able to create. Sticky and world-writable like {@code /tmp}, so any
   * user the image names can use them. They live in the sandbox's memory (counted against its
   * limit) and start empty after a stop, when no command survives anyway.
   */
  static Map<String, String> scratchMounts(SandboxSpec spec) {
    Map<String, String> mounts = new TreeMap<>();
    if (spec.readOnlyRootFilesystem()) {
      mounts.put("/tmp", SCRATCH_OPTIONS);
    }
    if (spec.readOnlyRootFilesystem() || (spec.user() != null && !spec.user().isBlank())) {
      mounts.put(CommandRef.TASKS_DIR, SCRATCH_OPTIONS);
    }
    return mounts;
  }

  /** The user the spec names, or null for the image's own. */
  static String user(SandboxSpec spec) {
    return spec.user() == null || spec.user().isBlank() ? null : spec.user();
  }

  /** {@code NAME=value} entries in name order; a null value becomes empty. */
  static List<String> env(Map<String, String> env) {
    if (env == null) {
      return List.of();
    }
    List<String> entries = new ArrayList<>();
    new TreeMap<>(env).forEach((k, v) -> entries.add(k + "=" + (v == null ? "" : v)));
    return entries;
  }

  /** The sandbox id, cut to what a hostname may hold. */
  static String hostname(String sandboxId) {
    return sandboxId.length() <= MAX_HOSTNAME_LENGTH
        ? sandboxId
        : sandboxId.substring(0, MAX_HOSTNAME_LENGTH);
  }

  private static String orDefault(String value, String fallback) {
    return value == null || value.isBlank() ? fallback : value;
  }
}
