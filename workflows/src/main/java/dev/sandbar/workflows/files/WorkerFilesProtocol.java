package dev.sandbar.workflows.files;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;

/**
 * The HTTP protocol between the API and a worker's files endpoint, which serves the {@link
 * SandboxFiles} of the worker's host to the API of a split deployment (README, "Files"). Both sides
 * speak it through this class, so they cannot drift apart.
 *
 * <p>Every request carries the deployment's shared token as {@code Authorization: Bearer}, the
 * sandbox id as {@code sandbox} and the already validated path as {@code path}: {@code PUT}, {@code
 * GET} and {@code DELETE} {@value #FILES}, {@code GET} {@value #LIST}, {@code POST} {@value
 * #MKDIR}. A failure answers its status with the {@link FileAccessException.Reason} in {@value
 * #REASON_HEADER} and the message as the plain-text body, so the API rethrows what the worker's
 * Docker side threw.
 */
public final class WorkerFilesProtocol {

  public static final String FILES = "/files";
  public static final String LIST = "/files/list";
  public static final String MKDIR = "/files/mkdir";

  /** {@code POST}: renames {@code path} to the path in {@value #MOVE_TO}. */
  public static final String MOVE = "/files/move";

  /** The destination of a {@link #MOVE}. */
  public static final String MOVE_TO = "to";

  /** The {@link FileAccessException.Reason} of a failed request. */
  public static final String REASON_HEADER = "X-Sandbar-File-Problem";

  /** A download's file name (URL-encoded, UTF-8). */
  public static final String NAME_HEADER = "X-Sandbar-File-Name";

  private WorkerFilesProtocol() {}

  /** The query string naming a sandbox and a path. */
  public static String query(String sandboxId, String path) {
    return "sandbox="
        + URLEncoder.encode(sandboxId, StandardCharsets.UTF_8)
        + "&path="
        + URLEncoder.encode(path, StandardCharsets.UTF_8);
  }

  /** The parameters of a raw (still encoded) query string; the last of a repeated name wins. */
  public static Map<String, String> parseQuery(String rawQuery) {
    Map<String, String> parameters = new HashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return parameters;
    }
    for (String pair : rawQuery.split("&")) {
      int eq = pair.indexOf('=');
      String name = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      parameters.put(
          URLDecoder.decode(name, StandardCharsets.UTF_8),
          URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return parameters;
  }

  /** One listing line: type, size, mode, mtime and the base64 of the name, tab separated. */
  public static String encode(FileEntry entry) {
    return String.join(
            "\t",
            entry.type(),
            Long.toString(entry.size()),
            entry.mode(),
            Long.toString(entry.mtime()),
            Base64.getEncoder().encodeToString(entry.name().getBytes(StandardCharsets.UTF_8)))
        + "\n";
  }

  /** The entry of a line {@link #encode} wrote. */
  public static FileEntry decode(String line) {
    String[] f = line.split("\t");
    if (f.length != 5) {
      throw new FileAccessException(
          FileAccessException.Reason.UNAVAILABLE, "unexpected listing line from a worker: " + line);
    }
    return new FileEntry(
        new String(Base64.getDecoder().decode(f[4]), StandardCharsets.UTF_8),
        f[0],
        Long.parseLong(f[1]),
        f[2],
        Long.parseLong(f[3]));
  }

  /** The HTTP status of a reason, as the API's problems answer it. */
  public static int status(FileAccessException.Reason reason) {
    return switch (reason) {
      case INVALID_PATH, SHORT_BODY -> 400;
      case NOT_FOUND -> 404;
      case TOO_LARGE -> 413;
      case NOT_RUNNING -> 409;
      case UNAVAILABLE -> 503;
    };
  }
}
