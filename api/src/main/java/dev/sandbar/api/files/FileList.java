package dev.sandbar.api.files;

import dev.sandbar.workflows.files.FileEntry;
import java.util.List;

/**
 * The entries of a directory, by name.
 *
 * @param items each with name, type ({@code file}, {@code directory}, {@code symlink} or {@code
 *     other}), size in bytes, mode (octal permission bits, e.g. {@code "644"}) and mtime (seconds
 *     since the epoch)
 */
public record FileList(String path, List<FileEntry> items) {}
