package dev.sandbar.activities.archive;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The symlinks of one archive read so far, and the path rules that depend on them: entry names
 * normalised under the root, hard-link targets, and symlink chains followed the way the kernel
 * would. One instance per copy.
 *
 * <p>A sandbox writes its data path, so an export's archive is as hostile as an uploaded one. The
 * symlinks are kept in a tree of path components: a name is checked component by component in time
 * linear in its length (joining and hashing every prefix was quadratic in depth), and what the tree
 * holds is bounded in bytes, names and targets included ({@link #maxBookkeepingBytes}).
 */
final class ArchiveWalk {
  /** Same bound as Linux's path walk: a chain longer than this resolves to nothing at all. */
  static final int MAX_SYMLINK_HOPS = 40;

  /**
   * Longest symlink target the kernel stores (PATH_MAX less the NUL): anything longer is forged.
   */
  static final int MAX_TARGET_LENGTH = 4095;

  /**
   * Longest entry name accepted: twice PATH_MAX. Deeper trees exist only when built on purpose, and
   * writing a name costs commons-compress tens of microseconds per character.
   */
  static final int MAX_NAME_LENGTH = 8192;

  /** Default bound of {@link #bookkeepingBytes}: far above any real tree's symlinks. */
  static final long DEFAULT_BOOKKEEPING_BYTES = 64L * 1024 * 1024;

  /** What one tree node costs besides its name: the object, its map entry, its child map. */
  static final int NODE_OVERHEAD_BYTES = 128;

  /** How many symlinks the final re-check goes through between two progress reports. */
  static final int CHECKS_PER_PROGRESS = 1024;

  /** One path component under the root; {@code target} is set while it is a symlink. */
  private static final class Node {
    final Node parent;
    final String name;
    Map<String, Node> children;
    String target;
    boolean listed;

    Node(Node parent, String name) {
      this.parent = parent;
      this.name = name;
    }

    Node child(String name) {
      return children == null ? null : children.get(name);
    }
  }

  /**
   * A position under the root while a path is walked: its components and, for each, the tree node
   * of that prefix (null once the walk has left the tree: nothing below is a symlink).
   */
  private static final class Cursor {
    final List<String> parts;
    final List<Node> nodes;
    final Node root;

    Cursor(Node root) {
      this(root, new ArrayList<>(), new ArrayList<>());
    }

    private Cursor(Node root, List<String> parts, List<Node> nodes) {
      this.root = root;
      this.parts = parts;
      this.nodes = nodes;
    }

    Cursor copy() {
      return new Cursor(root, new ArrayList<>(parts), new ArrayList<>(nodes));
    }

    Node node() {
      return nodes.isEmpty() ? root : nodes.get(nodes.size() - 1);
    }

    void push(String part) {
      Node here = node();
      parts.add(part);
      nodes.add(here == null ? null : here.child(part));
    }

    void pop() {
      parts.remove(parts.size() - 1);
      nodes.remove(nodes.size() - 1);
    }

    boolean isRoot() {
      return parts.isEmpty();
    }

    void clear() {
      parts.clear();
      nodes.clear();
    }

    /** The symlink target at this position, if it is a symlink. */
    String symlink() {
      Node here = node();
      return here == null || here == root ? null : here.target;
    }
  }

  private final Node root = new Node(null, "");
  private final List<Node> links = new ArrayList<>();
  private final String absoluteRoot;
  private final EntryNames names;
  private final long maxBookkeepingBytes;
  private long bookkeepingBytes;

  /**
   * @param absoluteRoot the path the root is extracted to: absolute symlink targets count as inside
   *     only under it (null: never)
   * @param maxBookkeepingBytes most bytes the symlink tree may hold, estimated from its nodes,
   *     names and targets; an archive that needs more is refused
   */
  ArchiveWalk(String absoluteRoot, EntryNames names, long maxBookkeepingBytes) {
    this.absoluteRoot = absoluteRoot;
    this.names = names;
    this.maxBookkeepingBytes = maxBookkeepingBytes;
  }

  /**
   * Normalises an entry name to components under the root. Traversing a symlink of the archive is
   * refused: extraction would follow it, and Docker's own archives never need it.
   */
  List<String> entryPath(String name, String raw) throws UnsafeArchiveException {
    if (name.startsWith("/")) {
      throw new UnsafeArchiveException("entry '" + raw + "' has an absolute path");
    }
    if (name.length() > MAX_NAME_LENGTH) {
      throw new UnsafeArchiveException(
          "entry '"
              + raw.substring(0, 200)
              + "...' has a "
              + name.length()
              + "-character name, longer than Sandbar archives ("
              + MAX_NAME_LENGTH
              + ")");
    }
    String[] parts = name.split("/");
    int last = -1;
    for (int i = 0; i < parts.length; i++) {
      if (!parts[i].isEmpty() && !parts[i].equals(".")) {
        last = i;
      }
    }
    Cursor cursor = new Cursor(root);
    for (int i = 0; i <= last; i++) {
      String part = parts[i];
      if (part.isEmpty() || part.equals(".")) {
        continue;
      }
      if (part.equals("..")) {
        if (cursor.isRoot()) {
          throw new UnsafeArchiveException("entry '" + raw + "' leaves the archive root");
        }
        cursor.pop();
        continue;
      }
      cursor.push(part);
      if (i < last && cursor.symlink() != null) {
        throw new UnsafeArchiveException(
            "entry '"
                + raw
                + "' would be written through symlink '"
                + String.join("/", cursor.parts)
                + "'");
      }
    }
    return cursor.parts;
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
    if (target.length() > MAX_TARGET_LENGTH) {
      throw new UnsafeArchiveException(
          "symlink '"
              + raw
              + "' has a "
              + target.length()
              + "-character target, longer than any file system stores ("
              + MAX_TARGET_LENGTH
              + ")");
    }
    Cursor base = new Cursor(root);
    for (String part : path.subList(0, path.size() - 1)) {
      base.push(part);
    }
    resolve(base, target, new int[] {0}, "symlink '" + raw + "' -> '" + target + "'");
  }

  /** A later entry of the same name replaces the earlier one, as extraction would. */
  void record(List<String> path, String symlinkTarget) throws UnsafeArchiveException {
    if (symlinkTarget == null) {
      Node node = find(path);
      if (node != null) {
        node.target = null;
      }
      return;
    }
    Node node = root;
    for (String part : path) {
      Node child = node.child(part);
      if (child == null) {
        charge(NODE_OVERHEAD_BYTES + 2L * part.length());
        if (node.children == null) {
          node.children = new HashMap<>();
        }
        child = new Node(node, part);
        node.children.put(part, child);
      }
      node = child;
    }
    charge(2L * symlinkTarget.length());
    node.target = symlinkTarget;
    if (!node.listed) {
      node.listed = true;
      links.add(node);
    }
  }

  /**
   * Re-checks every symlink now that all of them are known: chains can only be judged whole. Calls
   * {@code progress} every {@link #CHECKS_PER_PROGRESS} symlinks, so a long check keeps
   * heartbeating (and stops when the heartbeat throws).
   */
  void checkAllSymlinks(Runnable progress) throws UnsafeArchiveException {
    int checked = 0;
    for (Node link : links) {
      if (link.target == null) {
        continue;
      }
      Cursor base = cursorOf(link.parent);
      String what = "symlink '" + pathOf(link) + "' -> '" + link.target + "'";
      resolve(base, link.target, new int[] {0}, what);
      if (++checked % CHECKS_PER_PROGRESS == 0) {
        progress.run();
      }
    }
  }

  /** Estimated bytes the symlink tree holds. */
  long bookkeepingBytes() {
    return bookkeepingBytes;
  }

  private void charge(long bytes) throws UnsafeArchiveException {
    bookkeepingBytes += bytes;
    if (bookkeepingBytes > maxBookkeepingBytes) {
      throw new UnsafeArchiveException(
          "the archive's symlinks ("
              + links.size()
              + " so far) need more than "
              + maxBookkeepingBytes
              + " bytes to check; refusing to hold more");
    }
  }

  private Node find(List<String> path) {
    Node node = root;
    for (String part : path) {
      node = node.child(part);
      if (node == null) {
        return null;
      }
    }
    return node;
  }

  private Cursor cursorOf(Node directory) {
    List<Node> chain = new ArrayList<>();
    for (Node n = directory; n != root; n = n.parent) {
      chain.add(n);
    }
    Cursor cursor = new Cursor(root);
    for (int i = chain.size() - 1; i >= 0; i--) {
      cursor.push(chain.get(i).name);
    }
    return cursor;
  }

  private String pathOf(Node node) {
    List<String> parts = new ArrayList<>();
    for (Node n = node; n != root; n = n.parent) {
      parts.add(n.name);
    }
    return String.join("/", parts.reversed());
  }

  /**
   * Follows {@code target} from directory {@code base} through the known symlinks, failing as soon
   * as it steps above the root. Returns null for a chain too long to resolve, which the kernel
   * refuses too (ELOOP), so it reaches nothing. At most {@link #MAX_SYMLINK_HOPS} nested calls,
   * each linear in its target.
   */
  private Cursor resolve(Cursor base, String target, int[] hops, String what)
      throws UnsafeArchiveException {
    Cursor cursor = base.copy();
    String rest = target;
    if (target.startsWith("/")) {
      if (absoluteRoot != null
          && (target.equals(absoluteRoot) || target.startsWith(absoluteRoot + "/"))) {
        cursor.clear();
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
        if (cursor.isRoot()) {
          throw new UnsafeArchiveException(what + " leaves the data path");
        }
        cursor.pop();
        continue;
      }
      cursor.push(part);
      String link = cursor.symlink();
      if (link != null) {
        if (++hops[0] > MAX_SYMLINK_HOPS) {
          return null;
        }
        cursor.pop();
        Cursor resolved = resolve(cursor, link, hops, what);
        if (resolved == null) {
          return null;
        }
        cursor = resolved;
      }
    }
    return cursor;
  }
}
