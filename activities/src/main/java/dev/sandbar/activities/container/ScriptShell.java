package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.command.InspectContainerResponse;
import com.github.dockerjava.api.exception.NotFoundException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The argument vector that runs one of Sandbar's scripts in a container: {@code
 * /.sandbar/bin/busybox sh -c SCRIPT} where the {@link TrustedHelper} is mounted, and the script
 * told so through {@code _B}: every program a script runs is written {@code $_B name}, which is
 * {@code /.sandbar/bin/busybox name} here, never a file of the sandbox.
 *
 * <p>Containers created before the helper existed have no mount and cannot get one (Docker fixes
 * mounts at create): their scripts run under their own {@code sh} with {@code _B} empty, as they
 * always did. That is still safe for the worker, since every read is bounded ({@link BoundedRead}),
 * but a hostile sandbox can make its own probes fail; a move, or a destroy with {@code
 * preserveData} and a restore, gives it a new container with the helper.
 */
final class ScriptShell {

  private static final Logger log = LoggerFactory.getLogger(ScriptShell.class);

  private final DockerClient docker;

  /** Containers known to have the helper; a mount never goes away while the container exists. */
  private final Set<String> withHelper = ConcurrentHashMap.newKeySet();

  /** Containers already reported as lacking the helper, so the warning is logged once each. */
  private final Set<String> warned = ConcurrentHashMap.newKeySet();

  ScriptShell(DockerClient docker) {
    this.docker = docker;
  }

  /**
   * {@code sh -c script name args...} for {@code container}.
   *
   * @throws ContainerUnavailable when the container does not exist
   */
  List<String> argv(String container, String script, String name, List<String> args) {
    boolean trusted = hasHelper(container);
    List<String> cmd = new ArrayList<>();
    if (trusted) {
      cmd.add(TrustedHelper.CONTAINER_PATH);
    }
    cmd.add("sh");
    cmd.add("-c");
    cmd.add("_B=" + (trusted ? TrustedHelper.CONTAINER_PATH : "") + "\n" + script);
    cmd.add(name);
    cmd.addAll(args);
    return cmd;
  }

  private boolean hasHelper(String container) {
    if (withHelper.contains(container)) {
      return true;
    }
    InspectContainerResponse inspect;
    try {
      inspect = docker.inspectContainerCmd(container).exec();
    } catch (NotFoundException e) {
      throw new ContainerUnavailable(true, container, e);
    } catch (RuntimeException e) {
      throw DockerFailures.transientFailure("inspecting " + container + " failed", e);
    }
    boolean mounted =
        inspect.getMounts() != null
            && inspect.getMounts().stream()
                .anyMatch(
                    m ->
                        m.getDestination() != null
                            && TrustedHelper.CONTAINER_PATH.equals(m.getDestination().getPath()));
    if (mounted) {
      withHelper.add(container);
    } else if (warned.add(container)) {
      log.warn(
          "container {} was created without Sandbar's trusted helper: its scripts run under the"
              + " container's own sh (reads stay bounded); move or re-create the sandbox to give"
              + " it the helper",
          container);
    }
    return mounted;
  }
}
