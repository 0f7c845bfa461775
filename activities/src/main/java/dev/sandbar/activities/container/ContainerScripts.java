package dev.sandbar.activities.container;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.stream.Collectors;

/**
 * The shell scripts Sandbar runs inside a sandbox with {@code sh -c}, loaded once from the {@code
 * .sh} resources next to this class, where each one says what it prints and why. They run under the
 * trusted busybox {@link ScriptShell} names, and under the image's own {@code sh} only in
 * containers created before it was mounted, so they stay POSIX.
 *
 * <p>Comment lines are dropped on load: the argument vector of every exec (what {@code ps} shows in
 * the sandbox) carries only the code.
 */
final class ContainerScripts {

  /** Starts a command in its own process group; see {@code wrapper.sh}. */
  static final String WRAPPER = withProcessFunctions("wrapper.sh");

  /** One poll of a command; see {@code probe.sh}. */
  static final String PROBE = withProcessFunctions("probe.sh");

  /** Kills a command's process group; see {@code kill.sh}. */
  static final String KILL = withProcessFunctions("kill.sh");

  /** A finished command's streams and log tail; see {@code collect.sh}. */
  static final String COLLECT = load("collect.sh");

  /** A slice of a command's log; see {@code read.sh}. */
  static final String READ = load("read.sh");

  /** Removes ended tasks' directories; see {@code remove.sh}. */
  static final String REMOVE = load("remove.sh");

  /** New bytes of a command's stdout and stderr; see {@code streams.sh}. */
  static final String STREAMS = load("streams.sh");

  /** Writes to or closes a command's stdin; see {@code stdin.sh}. */
  static final String STDIN = withProcessFunctions("stdin.sh");

  /** The files API's stat, list, remove and mkdir; see {@code files.sh}. */
  static final String FILES = load("files.sh");

  /** Whether the wrapper has written the command's pid; see {@code started.sh}. */
  static final String STARTED = load("started.sh");

  /**
   * Starts a command under {@link #WRAPPER} and waits for it in the container, then prints its
   * outcome as {@link #COLLECT} does; see {@code run.sh}.
   */
  static final String RUN = load("run.sh") + load("collect.sh");

  private ContainerScripts() {}

  private static String withProcessFunctions(String name) {
    return load("task-processes.sh") + load(name);
  }

  /** The script's code, one line each, without comments and blank lines. */
  static String load(String name) {
    try (InputStream in = ContainerScripts.class.getResourceAsStream(name)) {
      if (in == null) {
        throw new IllegalStateException("container script " + name + " is not on the classpath");
      }
      return new String(in.readAllBytes(), StandardCharsets.UTF_8)
          .lines()
          .filter(line -> !line.isBlank() && !line.stripLeading().startsWith("#"))
          .map(line -> line + "\n")
          .collect(Collectors.joining());
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read container script " + name, e);
    }
  }
}
