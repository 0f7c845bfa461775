package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.files.FileService;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.workflows.files.FileDownload;
import io.swagger.v3.oas.annotations.Hidden;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import jakarta.servlet.http.Part;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import org.jspecify.annotations.Nullable;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.multipart.MaxUploadSizeExceededException;
import org.springframework.web.multipart.MultipartException;
import tools.jackson.databind.json.JsonMapper;

/**
 * envd's {@code /files} under {@code /e2b/sandbox}: download a file ({@code GET ?path=}) and upload
 * ({@code POST ?path=}) as {@code application/octet-stream} (what the SDK sends for streams and
 * gzip) or {@code multipart/form-data} with {@code file} parts (what it sends otherwise, each
 * part's file name its path). Both go through the native files service, streamed; a body of unknown
 * size is spooled to a temporary file first. {@code username} is accepted and ignored (Sandbar has
 * no users); signed URLs ({@code signature}) are not served: the access token is required. Errors
 * are envd's {@code {"code", "message"}}, which the SDK reads.
 */
@Hidden
@RestController
class EnvdFilesController {

  private final EnvdAccess access;
  private final FileService files;
  private final JsonMapper json;
  private final long maxFileBytes;

  EnvdFilesController(
      EnvdAccess access,
      FileService files,
      JsonMapper json,
      @Value("${sandbar.files.max-bytes:${SANDBAR_FILE_MAX_BYTES:1073741824}}") long maxFileBytes) {
    this.access = access;
    this.files = files;
    this.json = json;
    this.maxFileBytes = maxFileBytes;
  }

  @GetMapping("/e2b/sandbox/files")
  void download(
      @RequestParam(required = false) @Nullable String path,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    FileDownload file;
    try {
      EnvdCaller caller = access.authorize(request);
      file =
          files.download(caller.tenantId(), caller.sandboxId(), EnvdPaths.resolve(orEmpty(path)));
    } catch (RuntimeException e) {
      error(response, e);
      return;
    }
    try (file) {
      response.setContentType("application/octet-stream");
      response.setContentLengthLong(file.size());
      OutputStream out = response.getOutputStream();
      file.content().transferTo(out);
      out.flush();
    }
  }

  @PostMapping("/e2b/sandbox/files")
  void upload(
      @RequestParam(required = false) @Nullable String path,
      HttpServletRequest request,
      HttpServletResponse response)
      throws IOException {
    List<Map<String, String>> written = new ArrayList<>();
    try {
      EnvdCaller caller = access.authorize(request);
      String type = request.getContentType();
      if (type != null && type.startsWith("multipart/form-data")) {
        List<Part> parts = fileParts(request);
        if (parts.isEmpty()) {
          throw ConnectException.invalid("the form holds no file part");
        }
        for (Part part : parts) {
          String target = parts.size() == 1 && path != null ? path : part.getSubmittedFileName();
          String resolved = EnvdPaths.resolve(orEmpty(target));
          try (InputStream in = part.getInputStream()) {
            files.upload(caller.tenantId(), caller.sandboxId(), resolved, part.getSize(), in);
          }
          written.add(entry(resolved));
        }
      } else {
        String resolved = EnvdPaths.resolve(orEmpty(path));
        uploadBody(caller, resolved, request);
        written.add(entry(resolved));
      }
    } catch (RuntimeException e) {
      error(response, e);
      return;
    }
    response.setStatus(200);
    response.setContentType("application/json");
    response.getOutputStream().write(json.writeValueAsBytes(written));
  }

  /** The form's {@code file} parts, spooled by the servlet container within the file limit. */
  private List<Part> fileParts(HttpServletRequest request) throws IOException {
    try {
      return request.getParts().stream().filter(p -> p.getName().equals("file")).toList();
    } catch (MaxUploadSizeExceededException | IllegalStateException tooLarge) {
      throw ApiProblem.of(
          ProblemType.PAYLOAD_TOO_LARGE, "a file part is larger than " + maxFileBytes + " bytes");
    } catch (MultipartException | ServletException malformed) {
      throw ApiProblem.of(ProblemType.MALFORMED, "the form is not valid multipart/form-data");
    }
  }

  private void uploadBody(EnvdCaller caller, String path, HttpServletRequest request)
      throws IOException {
    boolean gzip = "gzip".equalsIgnoreCase(request.getHeader("Content-Encoding"));
    long declared = request.getContentLengthLong();
    if (!gzip && declared >= 0) {
      files.upload(caller.tenantId(), caller.sandboxId(), path, declared, request.getInputStream());
      return;
    }
    InputStream body =
        gzip ? new GZIPInputStream(request.getInputStream()) : request.getInputStream();
    try (SpooledBody spooled = SpooledBody.of(body, maxFileBytes);
        InputStream in = spooled.open()) {
      files.upload(caller.tenantId(), caller.sandboxId(), path, spooled.size(), in);
    }
  }

  private static Map<String, String> entry(String path) {
    return Map.of("path", path, "name", EnvdPaths.name(path), "type", "file");
  }

  private static String orEmpty(@Nullable String path) {
    return path == null ? "" : path;
  }

  private void error(HttpServletResponse response, RuntimeException e) throws IOException {
    int status;
    String message;
    if (e instanceof ApiProblem problem) {
      status = problem.type().status().value();
      message = problem.getMessage();
    } else if (e instanceof ConnectException connect) {
      status = connect.code().httpStatus();
      message = connect.getMessage();
    } else {
      throw e;
    }
    response.setStatus(status);
    response.setContentType("application/json");
    response
        .getOutputStream()
        .write(json.writeValueAsBytes(Map.of("code", status, "message", message)));
  }
}
