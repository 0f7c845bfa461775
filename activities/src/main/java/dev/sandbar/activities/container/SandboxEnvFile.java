package dev.sandbar.activities.container;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

/**
 * The environment of a sandbox made from a warm-pool container, whose own environment was fixed
 * when it was created: a shell file the exec wrapper sources before it runs a command (see {@code
 * wrapper.sh}). Each variable is set only where the command's own environment still holds what the
 * container was created with, so a variable the exec request sets wins, as it does over a fresh
 * container's environment.
 */
final class SandboxEnvFile {

  /** Where the wrapper looks for the file; outside the task directory, which the user owns. */
  static final String PATH = "/.sandbar-env";

  private static final Pattern SHELL_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private SandboxEnvFile() {}

  /**
   * The file's text for the sandbox's {@code env} over the container's creation environment {@code
   * containerEnv} ({@code NAME=value} entries). Names a shell cannot export are left out.
   */
  static String script(Map<String, String> env, List<String> containerEnv) {
    Map<String, String> created = new HashMap<>();
    if (containerEnv != null) {
      for (String entry : containerEnv) {
        int eq = entry.indexOf('=');
        if (eq > 0) {
          created.put(entry.substring(0, eq), entry.substring(eq + 1));
        }
      }
    }
    StringBuilder text = new StringBuilder("# written by Sandbar when this sandbox was claimed\n");
    new TreeMap<>(env)
        .forEach(
            (name, value) -> {
              if (!SHELL_NAME.matcher(name).matches()) {
                return;
              }
              String unchanged =
                  created.containsKey(name)
                      ? "[ \"${"
                          + name
                          + "+s}${"
                          + name
                          + "-}\" = "
                          + quote("s" + created.get(name))
                          + " ]"
                      : "[ -z \"${" + name + "+s}\" ]";
              text.append("if ")
                  .append(unchanged)
                  .append("; then export ")
                  .append(name)
                  .append('=')
                  .append(quote(value == null ? "" : value))
                  .append("; fi\n");
            });
    return text.toString();
  }

  /**
   * A tar holding the file at {@link #PATH}, readable by every user, for an upload to {@code /}.
   */
  static byte[] tar(String script) {
    byte[] content = script.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (TarArchiveOutputStream tar = new TarArchiveOutputStream(bytes)) {
      TarArchiveEntry entry = new TarArchiveEntry(PATH.substring(1));
      entry.setMode(0100644);
      entry.setSize(content.length);
      tar.putArchiveEntry(entry);
      tar.write(content);
      tar.closeArchiveEntry();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot build a one-file tar in memory", e);
    }
    return bytes.toByteArray();
  }

  private static String quote(String value) {
    return "'" + value.replace("'", "'\\''") + "'";
  }
}
