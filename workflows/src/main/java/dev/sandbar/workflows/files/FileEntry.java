package dev.sandbar.workflows.files;

/**
 * One entry of a listed directory, as the container sees it.
 *
 * @param type {@code file}, {@code directory}, {@code symlink} or {@code other}
 * @param mode the permission bits, in octal as {@code ls -l} counts them ({@code "644"})
 * @param mtime seconds since the epoch
 */
public record FileEntry(String name, String type, long size, String mode, long mtime) {}
