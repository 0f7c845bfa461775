package dev.sandbar.api.e2b.envd;

import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * envd's process config ({@code cmd} and {@code args}) as the shell string Sandbar's exec runs with
 * {@code sh -c}. The SDK's {@code commands.run(cmd)} sends {@code /bin/bash -l -c cmd}: a shell
 * with only option flags before {@code -c} is unwrapped to its script, so the command runs in any
 * image with a POSIX {@code sh} (Sandbar's base image has no bash). Anything else is run as the
 * program with its arguments, each single-quoted.
 */
final class ProcessCommandLine {

  private static final Set<String> SHELLS =
      Set.of("sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/sh", "/usr/bin/bash");

  private static final Pattern OPTION_FLAGS = Pattern.compile("-[a-z]+");

  private static final Pattern PLAIN = Pattern.compile("[A-Za-z0-9_./=:,@%+-]+");

  private ProcessCommandLine() {}

  static String of(String cmd, List<String> args) {
    if (cmd.isBlank()) {
      throw ConnectException.invalid("process.cmd must not be empty");
    }
    if (SHELLS.contains(cmd) && args.size() >= 2 && args.get(args.size() - 2).equals("-c")) {
      boolean onlyFlags =
          args.subList(0, args.size() - 2).stream()
              .allMatch(a -> OPTION_FLAGS.matcher(a).matches());
      if (onlyFlags) {
        return args.getLast();
      }
    }
    StringBuilder line = new StringBuilder(quote(cmd));
    for (String arg : args) {
      line.append(' ').append(quote(arg));
    }
    return line.toString();
  }

  private static String quote(String word) {
    if (PLAIN.matcher(word).matches()) {
      return word;
    }
    return "'" + word.replace("'", "'\\''") + "'";
  }
}
