package dev.sandbar.api.e2b.envd;

import dev.sandbar.api.problem.ApiProblem;

/**
 * The Connect protocol's error codes that Sandbar answers, with the HTTP status a unary call's
 * error carries (connectrpc.com/docs/protocol, "Error Codes"). A streaming call answers 200 and
 * carries the code in its end-of-stream message.
 */
enum ConnectCode {
  INVALID_ARGUMENT("invalid_argument", 400),
  NOT_FOUND("not_found", 404),
  ALREADY_EXISTS("already_exists", 409),
  PERMISSION_DENIED("permission_denied", 403),
  RESOURCE_EXHAUSTED("resource_exhausted", 429),
  FAILED_PRECONDITION("failed_precondition", 400),
  UNIMPLEMENTED("unimplemented", 501),
  INTERNAL("internal", 500),
  UNAVAILABLE("unavailable", 503),
  UNAUTHENTICATED("unauthenticated", 401);

  private final String wire;
  private final int httpStatus;

  ConnectCode(String wire, int httpStatus) {
    this.wire = wire;
    this.httpStatus = httpStatus;
  }

  String wire() {
    return wire;
  }

  int httpStatus() {
    return httpStatus;
  }

  /** The code for what the native API would have answered with {@code problem}. */
  static ConnectCode of(ApiProblem problem) {
    return switch (problem.type()) {
      case VALIDATION, MALFORMED, UNSUPPORTED_MEDIA_TYPE, LENGTH_REQUIRED -> INVALID_ARGUMENT;
      case UNAUTHORIZED -> UNAUTHENTICATED;
      case FORBIDDEN -> PERMISSION_DENIED;
      case NOT_FOUND -> NOT_FOUND;
      case CONFLICT, IDEMPOTENCY_KEY_REUSED -> ALREADY_EXISTS;
      case INVALID_STATE, SANDBOX_NOT_RUNNING, METHOD_NOT_ALLOWED, NOT_ACCEPTABLE ->
          FAILED_PRECONDITION;
      case PAYLOAD_TOO_LARGE, QUOTA_EXCEEDED, NO_HOST_CAPACITY -> RESOURCE_EXHAUSTED;
      case NOT_IMPLEMENTED -> UNIMPLEMENTED;
      case UNAVAILABLE -> UNAVAILABLE;
      default -> INTERNAL;
    };
  }
}
