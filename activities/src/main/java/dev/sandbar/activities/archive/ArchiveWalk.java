package dev.sandbar.activities.archive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symlinks of one archive read so far, and the path rules that depend on them: entry names
 * normalised under the root, hard-link targets, and symlink chains followed the way the kernel
 * would. One instance per copy.
 */
final class ArchiveWalk {
  /** Same bound as Linux's path walk: a chain longer than this resolves to nothing at all. */
  static final int MAX_SYMLINK_HOPS = 40;

  /**
   * Symlinks are remembered to check chains; this bounds what a hostile archive can make us hold.
   */
  static final int MAX_SYMLINKS = 200_000;

  private final Map<String, String> symlinks = new HashMap<>();
  private final String absoluteRoot;
  private final EntryNames names;

  /**
   * @param absoluteRoot the path the root is extracted to: absolute symlink targets count as inside
   *     only under it (null: never)
   */
  ArchiveWalk(String absoluteRoot, EntryNames names) {
    this.absoluteRoot = absoluteRoot;
    this.names = names;
  }

  /**
   * Normalises an entry name to components under the root. Traversing a symlink of the archive is
   * refused: extraction would follow it, and Docker's own archives never need it.
   */
  List<String> entryPath(String name, String raw) throws UnsafeArchiveException {
    if (name.startsWith("/")) {
      throw new UnsafeArchiveException("entry '" + raw + "' has an absolute path");
    }
    String[] parts = name.split("/");
    int last = -1;
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].isEmpty() && !parts[i].equals(".")) {
        last = i;
      }
    }
    List<String> stack = new ArrayList<>();
    for (int i = 0; i <= last; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (stack.isEmpty()) {
          throw new UnsafeArchiveException("entry '" + raw + "' leaves the archive root");
        }
        stack.remove(stack.size() - 1);
        continue;
      }
      stack.add(part);
      if (i < last) {
        String through = String.join("/", stack);
        if (symlinks.containsKey(through)) {
          throw new UnsafeArchiveException(
              "entry '" + raw + "' would be written through symlink '" + through + "'");
        }
      }
    }
    return stack;
  }

  List<String> hardLinkTarget(String target, String raw) throws UnsafeArchiveException {
    if (target == null || target.isEmpty()) {
      throw new UnsafeArchiveException("hard link '" + raw + "' has no target");
    }
    if (target.startsWith("/")) {
      throw new UnsafeArchiveException(
          "hard link '" + raw + "' -> '" + target + "' points outside the data path");
    }
    List<String> path;
    try {
      path = entryPath(names.strip(target, target), target);
    } catch (UnsafeArchiveException e) {
      throw new UnsafeArchiveException(
          "hard link '" + raw + "' -> '" + target + "' is refused: " + e.getMessage());
    }
    if (path.isEmpty()) {
      throw new UnsafeArchiveException("hard link '" + raw + "' points at the archive root");
    }
    return path;
  }

  void checkSymlink(List<String> path, String target, String raw) throws UnsafeArchiveException {
    if (target == null || target.isEmpty()) {
      throw new UnsafeArchiveException("symlink '" + raw + "' has an empty target");
    }
    if (symlinks.size() >= MAX_SYMLINKS && !symlinks.containsKey(String.join("/", path))) {
      throw new UnsafeArchiveException("archive holds more than " + MAX_SYMLINKS + " symlinks");
    }
    resolve(
        path.subList(0, path.size() - 1),
        target,
        new int[] {0},
        "symlink '" + raw + "' -> '" + target + "'");
  }

  /** A later entry of the same name replaces the earlier one, as extraction would. */
  void record(List<String> path, String symlinkTarget) {
    String key = String.join("/", path);
    if (symlinkTarget == null) {
      symlinks.remove(key);
    } else {
      symlinks.put(key, symlinkTarget);
    }
  }

  /** Re-checks every symlink now that all of them are known: chains can only be judged whole. */
  void checkAllSymlinks() throws UnsafeArchiveException {
    for (Map.Entry<String, String> link : symlinks.entrySet()) {
      List<String> path = List.of(link.getKey().split("/"));
      resolve(
          path.subList(0, path.size() - 1),
          link.getValue(),
          new int[] {0},
          "symlink '" + link.getKey() + "' -> '" + link.getValue() + "'");
    }
  }

  /**
   * Follows {@code target} from directory {@code base} through the known symlinks, failing as soon
   * as it steps above the root. Returns null for a chain too long to resolve, which the kernel
   * refuses too (ELOOP), so it reaches nothing.
   */
  private List<String> resolve(List<String> base, String target, int[] hops, String what)
      throws UnsafeArchiveException {
    List<String> stack = new ArrayList<>(base);
    String rest = target;
    if (target.startsWith("/")) {
      if (absoluteRoot != null
          && (target.equals(absoluteRoot) || target.startsWith(absoluteRoot + "/"))) {
        stack.clear();
        rest = target.substring(absoluteRoot.length());
      } else {
        throw new UnsafeArchiveException(what + " points outside the data path");
      }
    }
    for (String part : rest.split("/")) {
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (stack.isEmpty()) {
          throw new UnsafeArchiveException(what + " leaves the data path");
        }
        stack.remove(stack.size() - 1);
        continue;
      }
      stack.add(part);
      String link = symlinks.get(String.join("/", stack));
      if (link != null) {
        if (++hops[0] > MAX_SYMLINK_HOPS) {
          return null;
        }
        stack.remove(stack.size() - 1);
        List<String> resolved = resolve(stack, link, hops, what);
        if (resolved == null) {
          return null;
        }
        stack = new ArrayList<>(resolved);
      }
    }
    return stack;
  }
}
