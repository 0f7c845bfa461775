package dev.sandbar.api.files;

import dev.sandbar.api.problem.ApiProblem;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * The paths the files API accepts: absolute, normalised (no empty, {@code .} or {@code ..}
 * component, no trailing slash), without NUL, at most 4096 bytes, and outside the trees that are
 * not files a client moves: Sandbar's own {@code /.sandbar} (the trusted helper and the tasks'
 * files) and the kernel's {@code /proc}, {@code /sys} and {@code /dev}. Symbolic links are refused
 * in the container, where they can be seen.
 */
final class FilePaths {

  static final int MAX_PATH_BYTES = 4096;

  private static final List<String> RESERVED = List.of("/.sandbar", "/proc", "/sys", "/dev");

  private FilePaths() {}

  /** The path, checked; the root only when {@code rootAllowed}. */
  static String require(@Nullable String path, boolean rootAllowed) {
    return require(path, rootAllowed, "path");
  }

  /** The path, checked; the root only when {@code rootAllowed}; a 400 names {@code field}. */
  static String require(@Nullable String path, boolean rootAllowed, String field) {
    if (path == null || path.isEmpty()) {
      throw ApiProblem.invalid(field, "must be present");
    }
    if (path.indexOf('\0') >= 0) {
      throw ApiProblem.invalid(field, "must not contain NUL");
    }
    if (path.getBytes(StandardCharsets.UTF_8).length > MAX_PATH_BYTES) {
      throw ApiProblem.invalid(field, "must be at most " + MAX_PATH_BYTES + " bytes");
    }
    if (!path.startsWith("/")) {
      throw ApiProblem.invalid(field, "must be absolute");
    }
    if (path.equals("/")) {
      if (!rootAllowed) {
        throw ApiProblem.invalid(field, "must not be the root directory");
      }
      return path;
    }
    if (path.endsWith("/")
        || path.contains("//")
        || (path + "/").contains("/./")
        || (path + "/").contains("/../")) {
      throw ApiProblem.invalid(
          field, "must be normalised: no trailing slash, no empty, . or .. component");
    }
    for (String reserved : RESERVED) {
      if (path.equals(reserved) || path.startsWith(reserved + "/")) {
        throw ApiProblem.invalid(field, "must not be under " + reserved);
      }
    }
    return path;
  }
}
