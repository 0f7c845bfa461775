package dev.sandbar.activities.archive;

/**
 * How entry names are rewritten by a copy: a leading directory taken off on the way in (Docker's
 * export puts everything under the data directory's base name) and one put on on the way out (a
 * restore extracts in the data path's parent).
 *
 * @param stripDirectory every input entry must be under it; null: names are taken as they are
 * @param addDirectory every output entry is put under it; null: the root is written as {@code .}
 */
record EntryNames(String stripDirectory, String addDirectory) {

  /** The name relative to the root, refusing entries outside {@code stripDirectory}. */
  String strip(String name, String raw) throws UnsafeArchiveException {
    if (stripDirectory == null) {
      return name;
    }
    if (name.equals(stripDirectory) || name.equals(stripDirectory + "/")) {
      return "";
    }
    if (name.startsWith(stripDirectory + "/")) {
      return name.substring(stripDirectory.length() + 1);
    }
    throw new UnsafeArchiveException(
        "entry '" + raw + "' is not under the exported directory '" + stripDirectory + "/'");
  }

  /** A checked path as written out: {@code .} for the root unless a directory is added. */
  String output(String path) {
    if (addDirectory == null) {
      return path.isEmpty() ? "." : path;
    }
    return path.isEmpty() ? addDirectory : addDirectory + "/" + path;
  }
}
