package dev.sandbar.api.problem;

import java.net.URI;
import org.springframework.http.HttpStatus;

/**
 * The kinds of problem the API answers with. The {@code type} URIs are part of the API: clients
 * branch on them, so they never change once published.
 */
public enum ProblemType {
  VALIDATION("validation", "Invalid request", HttpStatus.BAD_REQUEST),
  MALFORMED("malformed-request", "Malformed request", HttpStatus.BAD_REQUEST),
  UNAUTHORIZED("unauthorized", "Missing or invalid API key", HttpStatus.UNAUTHORIZED),
  FORBIDDEN("forbidden", "Not allowed", HttpStatus.FORBIDDEN),
  NOT_FOUND("not-found", "Not found", HttpStatus.NOT_FOUND),
  METHOD_NOT_ALLOWED("method-not-allowed", "Method not allowed", HttpStatus.METHOD_NOT_ALLOWED),
  NOT_ACCEPTABLE("not-acceptable", "Not acceptable", HttpStatus.NOT_ACCEPTABLE),
  CONFLICT("conflict", "Conflict", HttpStatus.CONFLICT),
  INVALID_STATE("invalid-state", "Invalid state for this operation", HttpStatus.CONFLICT),
  SANDBOX_NOT_RUNNING("sandbox-not-running", "Sandbox not running", HttpStatus.CONFLICT),
  PAYLOAD_TOO_LARGE("payload-too-large", "Request too large", HttpStatus.CONTENT_TOO_LARGE),
  LENGTH_REQUIRED("length-required", "Content-Length required", HttpStatus.LENGTH_REQUIRED),
  UNSUPPORTED_MEDIA_TYPE(
      "unsupported-media-type", "Unsupported media type", HttpStatus.UNSUPPORTED_MEDIA_TYPE),
  ARCHIVE_CORRUPT("archive-corrupt", "Archive corrupt", HttpStatus.UNPROCESSABLE_CONTENT),
  ARCHIVE_UNSAFE("archive-unsafe", "Archive unsafe", HttpStatus.UNPROCESSABLE_CONTENT),
  IDEMPOTENCY_KEY_REUSED(
      "idempotency-key-reused",
      "Idempotency key reused with another request",
      HttpStatus.UNPROCESSABLE_CONTENT),
  CREATE_FAILED("create-failed", "Sandbox creation failed", HttpStatus.UNPROCESSABLE_CONTENT),
  OPERATION_FAILED("operation-failed", "Operation failed", HttpStatus.INTERNAL_SERVER_ERROR),
  EXPORT_FAILED("export-failed", "Data export failed", HttpStatus.INTERNAL_SERVER_ERROR),
  INTERNAL("internal", "Internal error", HttpStatus.INTERNAL_SERVER_ERROR),
  QUOTA_EXCEEDED("quota-exceeded", "Quota exceeded", HttpStatus.TOO_MANY_REQUESTS),
  NO_HOST_CAPACITY(
      "no-host-capacity", "No host can take the sandbox", HttpStatus.SERVICE_UNAVAILABLE),
  NOT_IMPLEMENTED("not-implemented", "Not served here", HttpStatus.NOT_IMPLEMENTED),
  UNAVAILABLE("unavailable", "Service unavailable", HttpStatus.SERVICE_UNAVAILABLE);

  private static final String BASE = "https://sandbar.dev/problems/";

  private final URI type;
  private final String title;
  private final HttpStatus status;

  ProblemType(String slug, String title, HttpStatus status) {
    this.type = URI.create(BASE + slug);
    this.title = title;
    this.status = status;
  }

  public URI type() {
    return type;
  }

  public String title() {
    return title;
  }

  public HttpStatus status() {
    return status;
  }

  /** The type for a status that Spring MVC raised itself (unknown path, wrong method, ...). */
  static ProblemType forStatus(int status) {
    return switch (status) {
      case 400 -> VALIDATION;
      case 401 -> UNAUTHORIZED;
      case 403 -> FORBIDDEN;
      case 404 -> NOT_FOUND;
      case 405 -> METHOD_NOT_ALLOWED;
      case 406 -> NOT_ACCEPTABLE;
      case 409 -> CONFLICT;
      case 413 -> PAYLOAD_TOO_LARGE;
      case 415 -> UNSUPPORTED_MEDIA_TYPE;
      case 503 -> UNAVAILABLE;
      default -> status >= 500 ? INTERNAL : VALIDATION;
    };
  }
}
