package dev.sandbar.activities.archive;

/**
 * Turns the owners Docker reports in a container's tar back into the container's own ids. A daemon
 * running with {@code userns-remap} answers the archive API with host ids (container uid 1000 is
 * host uid 101000 under the default remap at 100000) but reads the ids of a tar it extracts as
 * container ids, and refuses ids its range cannot map. Stored archives hold container ids, so they
 * restore on any host, remapped or not.
 *
 * @param uidBase the host uid container root maps to; 0 when the daemon does not remap
 * @param gidBase the host gid container root maps to; 0 when the daemon does not remap
 */
public record OwnerShift(long uidBase, long gidBase) {

  /** A daemon without user namespaces: ids pass unchanged. */
  public static final OwnerShift NONE = new OwnerShift(0, 0);

  public OwnerShift {
    if (uidBase < 0 || gidBase < 0) {
      throw new IllegalArgumentException("negative id base: " + uidBase + ", " + gidBase);
    }
  }

  /** The container uid of host uid {@code id}; an id below the base (not remapped) is kept. */
  public long uid(long id) {
    return id >= uidBase ? id - uidBase : id;
  }

  /** The container gid of host gid {@code id}; an id below the base (not remapped) is kept. */
  public long gid(long id) {
    return id >= gidBase ? id - gidBase : id;
  }
}
