package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.files.FileService;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.workflows.files.FileEntry;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Service;
import tools.jackson.databind.JsonNode;

/**
 * envd's {@code filesystem.Filesystem} calls on the native files service ({@link FileService}: the
 * same path rules, the same streaming, standalone only). Entries are envd's {@code EntryInfo}:
 * name, type, path, size, mode, permissions and modified time; owner and group are not known and
 * sent empty.
 */
@Service
record EnvdFilesystem(FileService files) {

  /** The deepest {@code ListDir} walks, and the most entries it answers. */
  static final int MAX_DEPTH = 16;

  static final int MAX_ENTRIES = 10_000;

  Map<String, Object> stat(EnvdCaller caller, JsonNode request) {
    return Map.of("entry", entry(caller, EnvdPaths.resolve(ProtoJson.string(request, "path", ""))));
  }

  Map<String, Object> listDir(EnvdCaller caller, JsonNode request) {
    String path = EnvdPaths.resolve(ProtoJson.string(request, "path", ""));
    int depth = Math.max(1, request.path("depth").asInt(1));
    if (depth > MAX_DEPTH) {
      throw ConnectException.invalid("depth must be at most " + MAX_DEPTH);
    }
    List<Map<String, Object>> entries = new ArrayList<>();
    walk(caller, path, depth, entries);
    return Map.of("entries", entries);
  }

  Map<String, Object> makeDir(EnvdCaller caller, JsonNode request) {
    String path = EnvdPaths.resolve(ProtoJson.string(request, "path", ""));
    if (exists(caller, path)) {
      throw new ConnectException(ConnectCode.ALREADY_EXISTS, path + " already exists");
    }
    files.mkdir(caller.tenantId(), caller.sandboxId(), path);
    return Map.of("entry", entry(caller, path));
  }

  Map<String, Object> move(EnvdCaller caller, JsonNode request) {
    String source = EnvdPaths.resolve(ProtoJson.string(request, "source", ""));
    String destination = EnvdPaths.resolve(ProtoJson.string(request, "destination", ""));
    files.move(caller.tenantId(), caller.sandboxId(), source, destination);
    return Map.of("entry", entry(caller, destination));
  }

  Map<String, Object> remove(EnvdCaller caller, JsonNode request) {
    String path = EnvdPaths.resolve(ProtoJson.string(request, "path", ""));
    files.delete(caller.tenantId(), caller.sandboxId(), path);
    return Map.of();
  }

  private void walk(EnvdCaller caller, String dir, int depth, List<Map<String, Object>> out) {
    walk(caller, dir, depth, out, files.list(caller.tenantId(), caller.sandboxId(), dir).items());
  }

  private void walk(
      EnvdCaller caller,
      String dir,
      int depth,
      List<Map<String, Object>> out,
      List<FileEntry> items) {
    for (FileEntry item : items) {
      if (out.size() >= MAX_ENTRIES) {
        throw new ConnectException(
            ConnectCode.RESOURCE_EXHAUSTED,
            dir + " holds more than " + MAX_ENTRIES + " entries at the depth asked");
      }
      String path = EnvdPaths.child(dir, item.name());
      out.add(info(path, item));
      if (depth > 1 && item.type().equals("directory")) {
        List<FileEntry> children;
        try {
          children = files.list(caller.tenantId(), caller.sandboxId(), path).items();
        } catch (ApiProblem e) {
          if (e.type() != ProblemType.VALIDATION) {
            throw e;
          }
          // A tree the files API does not look into (/proc, /.sandbar, ...): listed, not walked.
          continue;
        }
        walk(caller, path, depth - 1, out, children);
      }
    }
  }

  private Map<String, Object> entry(EnvdCaller caller, String path) {
    return info(path, files.stat(caller.tenantId(), caller.sandboxId(), path));
  }

  private boolean exists(EnvdCaller caller, String path) {
    try {
      files.stat(caller.tenantId(), caller.sandboxId(), path);
      return true;
    } catch (ApiProblem e) {
      if (e.type() == ProblemType.NOT_FOUND) {
        return false;
      }
      throw e;
    }
  }

  private static Map<String, Object> info(String path, FileEntry item) {
    int perm = Integer.parseInt(item.mode(), 8);
    String type =
        switch (item.type()) {
          case "file" -> "FILE_TYPE_FILE";
          case "directory" -> "FILE_TYPE_DIRECTORY";
          case "symlink" -> "FILE_TYPE_SYMLINK";
          default -> "FILE_TYPE_UNSPECIFIED";
        };
    Map<String, Object> info = new LinkedHashMap<>();
    info.put("name", path.equals("/") ? "/" : item.name());
    info.put("type", type);
    info.put("path", path);
    // int64 travels as a string in proto3 JSON.
    info.put("size", Long.toString(item.size()));
    info.put("mode", perm);
    info.put("permissions", permissions(item.type(), perm));
    info.put("owner", "");
    info.put("group", "");
    info.put("modifiedTime", Instant.ofEpochSecond(item.mtime()).toString());
    return info;
  }

  /** As Go's {@code FileMode.String()}: {@code drwxr-xr-x}, {@code -rw-r--r--}. */
  static String permissions(String type, int perm) {
    StringBuilder text =
        new StringBuilder(
            switch (type) {
              case "directory" -> "d";
              case "symlink" -> "L";
              default -> "-";
            });
    String letters = "rwxrwxrwx";
    for (int bit = 8; bit >= 0; bit--) {
      text.append((perm & (1 << bit)) != 0 ? letters.charAt(8 - bit) : '-');
    }
    return text.toString();
  }
}
