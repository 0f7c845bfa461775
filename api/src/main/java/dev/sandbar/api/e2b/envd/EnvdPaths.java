package dev.sandbar.api.e2b.envd;

/**
 * Paths as E2B's SDK sends them, made into the absolute paths of the native files API, which then
 * checks them ({@code FilePaths}: normalised, outside {@code /.sandbar}, {@code /proc}, {@code
 * /sys}, {@code /dev}, through no symbolic link). envd resolves a relative path against the user's
 * home; Sandbar has no users, and resolves it against {@code /}, where commands run by default in
 * its base image. A trailing slash is dropped.
 */
final class EnvdPaths {

  private EnvdPaths() {}

  static String resolve(String path) {
    if (path.isEmpty()) {
      throw ConnectException.invalid("path must not be empty");
    }
    String absolute = path.startsWith("/") ? path : "/" + path;
    while (absolute.length() > 1 && absolute.endsWith("/")) {
      absolute = absolute.substring(0, absolute.length() - 1);
    }
    return absolute;
  }

  static String child(String dir, String name) {
    return dir.equals("/") ? "/" + name : dir + "/" + name;
  }

  static String parent(String path) {
    int slash = path.lastIndexOf('/');
    return slash <= 0 ? "/" : path.substring(0, slash);
  }

  static String name(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }
}
