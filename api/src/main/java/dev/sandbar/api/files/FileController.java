package dev.sandbar.api.files;

import dev.sandbar.api.auth.Caller;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.workflows.files.FileDownload;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/sandboxes/{id}/files")
@Tag(name = "files", description = "Move files in and out of a running sandbox")
record FileController(FileService files) {

  private static final String PATH_RULES =
      "absolute and normalised; not under /.sandbar, /proc, /sys or /dev; through no symbolic link";

  @PutMapping
  @Operation(
      summary = "Upload a file (the request body, streamed)",
      description =
          "Creates or replaces the file at path, making missing parent directories. The body is"
              + " the file's bytes, any Content-Type, with a Content-Length (411 without one) of at"
              + " most SANDBAR_FILE_MAX_BYTES (413 above). 204 once written.")
  ResponseEntity<Void> upload(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = PATH_RULES) @RequestParam(required = false) @Nullable String path,
      HttpServletRequest request)
      throws IOException {
    long size = request.getContentLengthLong();
    if (size < 0) {
      throw ApiProblem.of(
          ProblemType.LENGTH_REQUIRED, "an upload declares its size in Content-Length");
    }
    files.upload(caller.requireTenant(), id, path, size, request.getInputStream());
    return ResponseEntity.noContent().build();
  }

  @GetMapping
  @Operation(
      summary = "Download a file (streamed)",
      description = "The regular file at path as application/octet-stream, with its length.")
  void download(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = PATH_RULES) @RequestParam(required = false) @Nullable String path,
      HttpServletResponse response)
      throws IOException {
    try (FileDownload file = files.download(caller.requireTenant(), id, path)) {
      response.setContentType("application/octet-stream");
      response.setContentLengthLong(file.size());
      response.setHeader(
          "Content-Disposition",
          "attachment; filename*=UTF-8''"
              + URLEncoder.encode(file.name(), StandardCharsets.UTF_8).replace("+", "%20"));
      OutputStream out = response.getOutputStream();
      file.content().transferTo(out);
      out.flush();
    }
  }

  @GetMapping("/list")
  @Operation(
      summary = "List a directory",
      description = "Each entry's name, type, size, mode (octal) and mtime (epoch seconds).")
  FileList list(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = PATH_RULES + "; / allowed") @RequestParam(required = false)
          @Nullable String path) {
    return files.list(caller.requireTenant(), id, path);
  }

  @DeleteMapping
  @Operation(
      summary = "Delete a file or a directory with its contents",
      description = "204; a path that does not exist is already deleted.")
  ResponseEntity<Void> delete(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = PATH_RULES) @RequestParam(required = false) @Nullable String path) {
    files.delete(caller.requireTenant(), id, path);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/mkdir")
  @Operation(
      summary = "Make a directory and its missing parents",
      description = "204; an existing directory is fine.")
  ResponseEntity<Void> mkdir(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = PATH_RULES) @RequestParam(required = false) @Nullable String path) {
    files.mkdir(caller.requireTenant(), id, path);
    return ResponseEntity.noContent().build();
  }
}
