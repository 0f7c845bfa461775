package dev.sandbar.workflows.files;

import java.io.InputStream;
import java.util.List;

/**
 * A sandbox's files, moved straight between a caller and the Docker daemon of the sandbox's host as
 * streams: never through Temporal (a payload is at most a few MiB) and never whole in memory. Only
 * a process that reaches that daemon has one (the standalone process, which runs the API next to
 * its host's worker); see README, "Files".
 *
 * <p>Paths reach an implementation already validated as absolute and normalised. It refuses a path
 * that goes through a symbolic link in the container, so a link can never redirect a transfer.
 * Every failure is a {@link FileAccessException} saying why.
 */
public interface SandboxFiles {

  /** Whether this process reaches the Docker daemon of {@code hostId}. */
  boolean reaches(String hostId);

  /**
   * Writes {@code size} bytes of {@code content} to the file at {@code path}, creating missing
   * parent directories, replacing a file that exists (keeping its owner and mode) or making a new
   * one owned like its directory. Reads exactly {@code size} bytes; fewer is a failure.
   */
  void upload(String sandboxId, String path, long size, InputStream content);

  /** Opens the regular file at {@code path}; the caller closes the download. */
  FileDownload download(String sandboxId, String path);

  /** The entries of the directory at {@code path}, by name. */
  List<FileEntry> list(String sandboxId, String path);

  /** Removes the file or directory (with its contents) at {@code path}; a missing one is done. */
  void delete(String sandboxId, String path);

  /** Makes the directory at {@code path} and its missing parents; an existing one is done. */
  void mkdir(String sandboxId, String path);

  /**
   * Renames {@code source} (a file or a directory) to {@code destination}, making its missing
   * parents and replacing a file there; a directory there is refused.
   */
  void move(String sandboxId, String source, String destination);
}
