package dev.sandbar.activities.container;

import com.github.dockerjava.api.DockerClient;
import com.github.dockerjava.api.exception.NotFoundException;
import dev.sandbar.workflows.files.FileAccessException;
import dev.sandbar.workflows.files.FileAccessException.Reason;
import dev.sandbar.workflows.files.FileDownload;
import dev.sandbar.workflows.files.FileEntry;
import dev.sandbar.workflows.files.SandboxFiles;
import dev.sandbar.workflows.model.ContainerRef;
import io.temporal.failure.ApplicationFailure;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * {@link SandboxFiles} against the Docker daemon of one host. Bytes move through Docker's archive
 * API as streamed tars ({@link SingleFileTar} up, a checked single entry down); everything else is
 * one exec of {@code files.sh} under the trusted helper. Every byte read from a container passes a
 * {@link BoundedRead}.
 */
public final class DockerSandboxFiles implements SandboxFiles {

  /** Most a listing may print: about twenty thousand entries. */
  static final long MAX_LIST_BYTES = 4L * 1024 * 1024;

  /** How long a download may take before the container read is cut. */
  static final Duration TRANSFER_TIME_LIMIT = Duration.ofHours(1);

  private final DockerClient docker;
  private final String hostId;
  private final long maxFileBytes;
  private final DockerExec exec;

  /**
   * @param hostId the host whose daemon {@code docker} is
   * @param maxFileBytes the largest file an upload writes or a download reads
   */
  public DockerSandboxFiles(DockerClient docker, String hostId, long maxFileBytes) {
    this.docker = docker;
    this.hostId = hostId;
    this.maxFileBytes = maxFileBytes;
    this.exec = new DockerExec(docker);
  }

  @Override
  public boolean reaches(String host) {
    return hostId.equals(host);
  }

  @Override
  public void upload(String sandboxId, String path, long size, InputStream content) {
    if (size > maxFileBytes) {
      throw tooLarge(path, size);
    }
    String container = container(sandboxId);
    PathFacts facts = stat(container, path);
    if (facts.kind().equals("dir")) {
      throw new FileAccessException(Reason.INVALID_PATH, path + " is a directory");
    }
    if (!facts.kind().equals("file") && !facts.kind().equals("none")) {
      throw new FileAccessException(Reason.INVALID_PATH, path + " is not a regular file");
    }
    String parent = parentOf(path);
    if (facts.kind().equals("none")) {
      script(container, "mkdir", parent);
    }
    // A replaced file keeps its owner and mode; a new one belongs to its directory's owner.
    int mode = facts.kind().equals("file") ? facts.mode() : 0644;
    SingleFileTar.Header header =
        new SingleFileTar.Header(
            baseName(path), size, mode, facts.uid(), facts.gid(), System.currentTimeMillis());
    try (InputStream tar = SingleFileTar.of(header, content)) {
      docker
          .copyArchiveToContainerCmd(container)
          .withRemotePath(parent)
          .withTarInputStream(tar)
          .exec();
    } catch (NotFoundException e) {
      throw new FileAccessException(Reason.NOT_FOUND, "directory " + parent + " is gone", e);
    } catch (IOException | RuntimeException e) {
      if (hasCause(e, EOFException.class)) {
        throw new FileAccessException(Reason.SHORT_BODY, "the upload ended early", e);
      }
      throw new FileAccessException(
          Reason.UNAVAILABLE, "Docker could not write " + path + ": " + e.getMessage(), e);
    }
  }

  @Override
  public FileDownload download(String sandboxId, String path) {
    String container = container(sandboxId);
    PathFacts facts = stat(container, path);
    if (facts.kind().equals("none")) {
      throw new FileAccessException(Reason.NOT_FOUND, path + " does not exist");
    }
    if (!facts.kind().equals("file")) {
      throw new FileAccessException(Reason.INVALID_PATH, path + " is not a regular file");
    }
    BoundedRead bound =
        new BoundedRead(
            "download of " + path + " from " + container,
            maxFileBytes + 64 * 1024,
            TRANSFER_TIME_LIMIT);
    InputStream raw = null;
    try {
      raw = docker.copyArchiveFromContainerCmd(container, path).exec();
      TarArchiveInputStream tar = new TarArchiveInputStream(bound.wrap(raw));
      TarArchiveEntry entry = tar.getNextEntry();
      // The same rules as a restore, for the one entry a file's tar holds: a regular file under its
      // own base name, of a size within the limit, declared before any byte is read.
      if (entry == null || !entry.isFile() || !entry.getName().equals(baseName(path))) {
        tar.close();
        throw new FileAccessException(
            Reason.INVALID_PATH, path + " is not a regular file (it changed while it was read)");
      }
      if (entry.getSize() > maxFileBytes) {
        tar.close();
        throw tooLarge(path, entry.getSize());
      }
      // The tar stream ends the entry's data at its declared size; closing it closes Docker's.
      return new FileDownload(baseName(path), entry.getSize(), tar);
    } catch (NotFoundException e) {
      throw new FileAccessException(Reason.NOT_FOUND, path + " does not exist", e);
    } catch (IOException e) {
      closeQuietly(raw);
      throw new FileAccessException(
          Reason.UNAVAILABLE, "Docker could not read " + path + ": " + e.getMessage(), e);
    } catch (FileAccessException e) {
      closeQuietly(raw);
      throw e;
    }
  }

  @Override
  public List<FileEntry> list(String sandboxId, String path) {
    String container = container(sandboxId);
    PathFacts facts = stat(container, path);
    if (facts.kind().equals("none")) {
      throw new FileAccessException(Reason.NOT_FOUND, path + " does not exist");
    }
    if (!facts.kind().equals("dir")) {
      throw new FileAccessException(Reason.INVALID_PATH, path + " is not a directory");
    }
    byte[] out = script(container, MAX_LIST_BYTES, "list", path);
    List<FileEntry> entries = new ArrayList<>();
    for (String line : new String(out, StandardCharsets.US_ASCII).split("\n")) {
      if (line.isBlank()) {
        continue;
      }
      String[] f = line.trim().split(" +");
      if (f.length != 5) {
        throw new FileAccessException(Reason.UNAVAILABLE, "unexpected listing line: " + line);
      }
      String name = new String(Base64.getDecoder().decode(f[4]), StandardCharsets.UTF_8);
      entries.add(new FileEntry(name, f[0], Long.parseLong(f[1]), f[2], Long.parseLong(f[3])));
    }
    return entries;
  }

  @Override
  public void delete(String sandboxId, String path) {
    String container = container(sandboxId);
    stat(container, path);
    script(container, "remove", path);
  }

  @Override
  public void mkdir(String sandboxId, String path) {
    String container = container(sandboxId);
    PathFacts facts = stat(container, path);
    if (!facts.kind().equals("dir") && !facts.kind().equals("none")) {
      throw new FileAccessException(Reason.INVALID_PATH, path + " exists and is not a directory");
    }
    script(container, "mkdir", path);
  }

  @Override
  public void move(String sandboxId, String source, String destination) {
    String container = container(sandboxId);
    if (stat(container, source).kind().equals("none")) {
      throw new FileAccessException(Reason.NOT_FOUND, source + " does not exist");
    }
    PathFacts target = stat(container, destination);
    if (target.kind().equals("dir")) {
      throw new FileAccessException(Reason.INVALID_PATH, destination + " is a directory");
    }
    if (target.kind().equals("none")) {
      script(container, "mkdir", parentOf(destination));
    }
    script(container, DockerExec.HEADER_BYTES, "move", source, destination);
  }

  /** What {@code files.sh stat} says of a path. */
  private record PathFacts(String kind, long uid, long gid, int mode) {}

  private PathFacts stat(String container, String path) {
    String text = new String(script(container, 8192, "stat", path), StandardCharsets.UTF_8);
    String[] lines = text.split("\n", 2);
    String[] f = lines[0].trim().split(" +");
    if (f[0].equals("link")) {
      String real = lines.length > 1 ? lines[1].strip() : "?";
      throw new FileAccessException(
          Reason.INVALID_PATH,
          path
              + " goes through a symbolic link, which the files API never follows; its target is "
              + real);
    }
    if (f[0].equals("notdir")) {
      throw new FileAccessException(
          Reason.INVALID_PATH, "a parent of " + path + " is not a directory");
    }
    if (f.length != 4) {
      throw new FileAccessException(Reason.UNAVAILABLE, "unexpected answer: " + lines[0]);
    }
    return new PathFacts(
        f[0], Long.parseLong(f[1]), Long.parseLong(f[2]), Integer.parseInt(f[3], 8));
  }

  private byte[] script(String container, String op, String path) {
    return script(container, DockerExec.HEADER_BYTES, op, path);
  }

  private byte[] script(String container, long maxBytes, String op, String... paths) {
    String path = String.join(" to ", paths);
    String[] args = new String[paths.length + 1];
    args[0] = op;
    System.arraycopy(paths, 0, args, 1, paths.length);
    DockerExec.Result out;
    try {
      out = exec.run(container, maxBytes, ContainerScripts.FILES, args);
    } catch (ContainerUnavailable e) {
      throw new FileAccessException(
          Reason.NOT_RUNNING, "the sandbox's container is not running", e);
    } catch (ApplicationFailure e) {
      throw new FileAccessException(Reason.TOO_LARGE, op + " of " + path + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new FileAccessException(
          Reason.UNAVAILABLE, op + " of " + path + " failed: " + e.getMessage(), e);
    }
    if (out.exitCode() != 0) {
      throw new FileAccessException(
          Reason.INVALID_PATH, op + " of " + path + " failed: " + out.stderrText().strip());
    }
    return out.stdout();
  }

  private FileAccessException tooLarge(String path, long size) {
    return new FileAccessException(
        Reason.TOO_LARGE,
        path + " has " + size + " bytes; files move up to " + maxFileBytes + " bytes");
  }

  private static String container(String sandboxId) {
    return new ContainerRef(sandboxId).containerName();
  }

  private static String parentOf(String path) {
    int slash = path.lastIndexOf('/');
    return slash == 0 ? "/" : path.substring(0, slash);
  }

  private static String baseName(String path) {
    return path.substring(path.lastIndexOf('/') + 1);
  }

  private static boolean hasCause(Throwable e, Class<? extends Throwable> type) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (type.isInstance(t)) {
        return true;
      }
    }
    return false;
  }

  private static void closeQuietly(InputStream in) {
    if (in == null) {
      return;
    }
    try {
      in.close();
    } catch (IOException e) {
      // The read already failed.
    }
  }
}
