package dev.sandbar.api.problem;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The rules for environment variables, shared by sandbox creation and exec: both end up as {@code
 * NAME=value} strings handed to Docker, which cannot carry NUL or a malformed name.
 */
public final class EnvironmentRules {

  static final int MAX_VARIABLES = 100;
  static final int MAX_VALUE_BYTES = 32 * 1024;
  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

  private EnvironmentRules() {}

  /** Adds one {@link InvalidField} per broken rule of {@code env} (null means empty). */
  public static void check(Map<String, String> env, List<InvalidField> errors) {
    if (env == null) {
      return;
    }
    if (env.size() > MAX_VARIABLES) {
      errors.add(new InvalidField("env", "must have at most " + MAX_VARIABLES + " variables"));
    }
    env.forEach(
        (key, value) -> {
          if (!NAME.matcher(key).matches()) {
            errors.add(new InvalidField("env." + key, "name must match [A-Za-z_][A-Za-z0-9_]*"));
          } else if (value == null) {
            errors.add(new InvalidField("env." + key, "must not be null"));
          } else if (value.indexOf('\0') >= 0
              || value.getBytes(StandardCharsets.UTF_8).length > MAX_VALUE_BYTES) {
            errors.add(new InvalidField("env." + key, "must be at most 32 KiB without NUL"));
          }
        });
  }
}
