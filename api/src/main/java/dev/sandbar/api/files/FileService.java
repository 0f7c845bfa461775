package dev.sandbar.api.files;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.api.sandbox.SandboxResponse;
import dev.sandbar.workflows.files.FileAccessException;
import dev.sandbar.workflows.files.FileDownload;
import dev.sandbar.workflows.files.FileEntry;
import dev.sandbar.workflows.files.SandboxFiles;
import dev.sandbar.workflows.model.SandboxState;
import java.io.InputStream;
import java.util.Comparator;
import java.util.function.Function;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.stereotype.Service;

/**
 * A tenant's sandbox files, through the {@link SandboxFiles} of this process. Checks what the API
 * can (the path, the tenant's sandbox, that it runs on a host this process reaches) and turns what
 * the container says into problems. Public for E2B's in-sandbox file calls ({@code
 * dev.sandbar.api.e2b.envd}), which share its checks and its answers.
 */
@Service
public class FileService {

  private final SandboxQueries sandboxes;
  private final ObjectProvider<SandboxFiles> files;

  FileService(SandboxQueries sandboxes, ObjectProvider<SandboxFiles> files) {
    this.sandboxes = sandboxes;
    this.files = files;
  }

  public void upload(String tenantId, String sandboxId, String path, long size, InputStream body) {
    String checked = FilePaths.require(path, false);
    call(
        tenantId,
        sandboxId,
        f -> {
          f.upload(sandboxId, checked, size, body);
          return null;
        });
  }

  public FileDownload download(String tenantId, String sandboxId, String path) {
    String checked = FilePaths.require(path, false);
    return call(tenantId, sandboxId, f -> f.download(sandboxId, checked));
  }

  public FileList list(String tenantId, String sandboxId, String path) {
    String checked = FilePaths.require(path, true);
    return call(
        tenantId,
        sandboxId,
        f ->
            new FileList(
                checked,
                f.list(sandboxId, checked).stream()
                    .sorted(Comparator.comparing(e -> e.name()))
                    .toList()));
  }

  /**
   * The entry at {@code path}, as its directory's listing shows it (the path is checked itself, so
   * a reserved tree cannot be looked at through its parent); the root is a directory.
   */
  public FileEntry stat(String tenantId, String sandboxId, String path) {
    String checked = FilePaths.require(path, true);
    if (checked.equals("/")) {
      list(tenantId, sandboxId, "/");
      return new FileEntry("/", "directory", 0, "755", 0);
    }
    int slash = checked.lastIndexOf('/');
    String parent = slash == 0 ? "/" : checked.substring(0, slash);
    String name = checked.substring(slash + 1);
    return list(tenantId, sandboxId, parent).items().stream()
        .filter(entry -> entry.name().equals(name))
        .findFirst()
        .orElseThrow(() -> ApiProblem.notFound(checked + " does not exist"));
  }

  public void delete(String tenantId, String sandboxId, String path) {
    String checked = FilePaths.require(path, false);
    call(
        tenantId,
        sandboxId,
        f -> {
          f.delete(sandboxId, checked);
          return null;
        });
  }

  public void mkdir(String tenantId, String sandboxId, String path) {
    String checked = FilePaths.require(path, false);
    call(
        tenantId,
        sandboxId,
        f -> {
          f.mkdir(sandboxId, checked);
          return null;
        });
  }

  public void move(String tenantId, String sandboxId, String source, String destination) {
    String from = FilePaths.require(source, false, "source");
    String to = FilePaths.require(destination, false, "destination");
    call(
        tenantId,
        sandboxId,
        f -> {
          f.move(sandboxId, from, to);
          return null;
        });
  }

  private <T> T call(String tenantId, String sandboxId, Function<SandboxFiles, T> operation) {
    SandboxResponse sandbox = sandboxes.get(tenantId, sandboxId);
    if (!SandboxState.RUNNING.wire().equals(sandbox.state())) {
      throw ApiProblem.of(
          ProblemType.SANDBOX_NOT_RUNNING,
          "sandbox " + sandboxId + " is " + sandbox.state() + "; files move while it runs");
    }
    // The daemon this process drives (standalone) first, else the host worker's files endpoint
    // (WorkerSandboxFiles, last in order).
    SandboxFiles reachable =
        sandbox.hostId() == null
            ? null
            : files
                .orderedStream()
                .filter(f -> f.reaches(sandbox.hostId()))
                .findFirst()
                .orElse(null);
    if (reachable == null) {
      throw ApiProblem.of(
          ProblemType.NOT_IMPLEMENTED,
          "this API process does not reach the files of host "
              + sandbox.hostId()
              + ": its worker serves no files endpoint (SANDBAR_WORKER_FILES_PORT) or this API"
              + " lacks the shared SANDBAR_WORKER_TOKEN");
    }
    try {
      return operation.apply(reachable);
    } catch (FileAccessException e) {
      throw problem(e);
    }
  }

  private static ApiProblem problem(FileAccessException e) {
    return switch (e.reason()) {
      case INVALID_PATH -> ApiProblem.invalid("path", e.getMessage());
      case NOT_FOUND -> ApiProblem.notFound(e.getMessage());
      case TOO_LARGE -> ApiProblem.of(ProblemType.PAYLOAD_TOO_LARGE, e.getMessage());
      case NOT_RUNNING -> ApiProblem.of(ProblemType.SANDBOX_NOT_RUNNING, e.getMessage());
      case SHORT_BODY -> ApiProblem.of(ProblemType.MALFORMED, e.getMessage());
      case UNAVAILABLE -> ApiProblem.unavailable(e.getMessage());
    };
  }
}
