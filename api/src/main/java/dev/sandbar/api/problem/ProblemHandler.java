package dev.sandbar.api.problem;

import dev.sandbar.api.edge.RequestTooLargeException;
import dev.sandbar.api.edge.UnsafeTextException;
import io.temporal.client.WorkflowException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;
import tools.jackson.core.JacksonException;
import tools.jackson.core.exc.InputCoercionException;
import tools.jackson.core.exc.StreamConstraintsException;
import tools.jackson.core.exc.StreamReadException;
import tools.jackson.databind.exc.MismatchedInputException;
import tools.jackson.databind.exc.UnrecognizedPropertyException;

/**
 * The one place that turns failures into {@code application/problem+json}. Spring MVC's own
 * exceptions (unknown path, wrong method, bad parameter) get Sandbar's type URIs too, so a client
 * sees one error shape whatever went wrong. Unexpected failures are logged here with their stack
 * and answered with a generic detail: the body never names an exception class.
 */
@RestControllerAdvice
class ProblemHandler extends ResponseEntityExceptionHandler {

  private static final Logger log = LoggerFactory.getLogger(ProblemHandler.class);

  private final KnownFailures workflowFailures;

  ProblemHandler(KnownFailures workflowFailures) {
    this.workflowFailures = workflowFailures;
  }

  @ExceptionHandler(ApiProblem.class)
  ResponseEntity<ProblemDetail> apiProblem(ApiProblem problem) {
    if (problem.type() == ProblemType.UNAVAILABLE) {
      log.warn("answering 503: {}", problem.getMessage());
    }
    return respond(
        problem.type(), problem.getMessage(), problem.invalidFields(), problem.properties());
  }

  /**
   * A workflow failure no service translated. Only failures that carry a Sandbar error type are
   * described; any other is unexpected, and its message stays in the log.
   */
  @ExceptionHandler(WorkflowException.class)
  ResponseEntity<ProblemDetail> workflowFailure(WorkflowException failure) {
    Optional<ApiProblem> problem = workflowFailures.describe(failure);
    return problem.isPresent() ? apiProblem(problem.get()) : unexpected(failure);
  }

  /**
   * Tomcat could not decode the query (bad percent-encoding, or bytes that are not UTF-8). Usually
   * the edge check says so; a mapping that matches on a parameter ({@code follow=true}) reads the
   * query earlier, while the handler is looked up.
   */
  @ExceptionHandler(InvalidParameterException.class)
  ResponseEntity<ProblemDetail> undecodableQuery(InvalidParameterException e) {
    return apiProblem(ApiProblem.invalid("query", "is not valid percent-encoded UTF-8"));
  }

  @ExceptionHandler(Exception.class)
  ResponseEntity<ProblemDetail> unexpected(Exception failure) {
    if (Failures.isUnavailable(failure)) {
      log.warn("answering 503, a dependency is unreachable", failure);
      return respond(
          ProblemType.UNAVAILABLE,
          "Temporal or the database cannot be reached; retry later",
          List.of());
    }
    log.error("unexpected failure", failure);
    return respond(ProblemType.INTERNAL, "internal error", List.of());
  }

  @Override
  protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(
      HttpMessageNotReadableException ex,
      HttpHeaders headers,
      HttpStatusCode status,
      WebRequest request) {
    Optional<RequestTooLargeException> tooLarge =
        Failures.cause(ex, RequestTooLargeException.class);
    if (tooLarge.isPresent()) {
      ProblemDetail body =
          problemDetail(ProblemType.PAYLOAD_TOO_LARGE, tooLarge.get().getMessage(), List.of());
      return new ResponseEntity<>(body, headers, body.getStatus());
    }
    ApiProblem problem = describeUnreadable(ex.getCause());
    ProblemDetail body =
        problemDetail(problem.type(), problem.getMessage(), problem.invalidFields());
    return new ResponseEntity<>(body, headers, body.getStatus());
  }

  /** Gives the problems Spring MVC built for its own exceptions Sandbar's types and titles. */
  @Override
  protected ResponseEntity<Object> createResponseEntity(
      @Nullable Object body, HttpHeaders headers, HttpStatusCode statusCode, WebRequest request) {
    if (body instanceof ProblemDetail problem
        && (problem.getType() == null || problem.getType().toString().equals("about:blank"))) {
      ProblemType type = ProblemType.forStatus(statusCode.value());
      problem.setType(type.type());
      problem.setTitle(type.title());
    }
    if (statusCode.value() == HttpStatus.SERVICE_UNAVAILABLE.value()
        && !headers.containsHeader(HttpHeaders.RETRY_AFTER)) {
      headers.set(HttpHeaders.RETRY_AFTER, ApiProblem.RETRY_AFTER_SECONDS);
    }
    return super.createResponseEntity(body, headers, statusCode, request);
  }

  private static ApiProblem describeUnreadable(@Nullable Throwable cause) {
    if (cause instanceof UnsafeTextException unsafe) {
      String field = path(unsafe, null);
      return ApiProblem.invalid(field.isEmpty() ? "body" : field, unsafe.rule());
    }
    if (cause instanceof StreamConstraintsException bounds) {
      return ApiProblem.of(
          ProblemType.MALFORMED,
          "request body exceeds a parser limit: " + bounds.getOriginalMessage());
    }
    if (cause instanceof UnrecognizedPropertyException unknown) {
      String field = path(unknown, unknown.getPropertyName());
      return ApiProblem.invalid(field, "unknown field", "unknown field '" + field + "'");
    }
    if (cause instanceof MismatchedInputException mismatch) {
      String field = path(mismatch, null);
      if (field.isEmpty()) {
        return ApiProblem.of(ProblemType.MALFORMED, "request body must be a JSON object");
      }
      return ApiProblem.invalid(field, "has the wrong type or is out of range");
    }
    if (cause instanceof InputCoercionException coercion) {
      String field = path(coercion, null);
      return ApiProblem.invalid(field.isEmpty() ? "body" : field, "number is out of range");
    }
    if (cause instanceof StreamReadException) {
      return ApiProblem.of(ProblemType.MALFORMED, "request body is not valid JSON");
    }
    return ApiProblem.of(ProblemType.MALFORMED, "request body is missing or not readable");
  }

  /** The JSON path of the field at fault, such as {@code resources.cpus} or {@code command[2]}. */
  private static String path(JacksonException failure, @Nullable String fallback) {
    StringBuilder path = new StringBuilder();
    for (JacksonException.Reference reference : failure.getPath()) {
      if (reference.getPropertyName() != null) {
        if (!path.isEmpty()) {
          path.append('.');
        }
        path.append(reference.getPropertyName());
      } else if (reference.getIndex() >= 0) {
        path.append('[').append(reference.getIndex()).append(']');
      }
    }
    return path.isEmpty() && fallback != null ? fallback : path.toString();
  }

  private static ResponseEntity<ProblemDetail> respond(
      ProblemType type, String detail, List<InvalidField> fields) {
    return respond(type, detail, fields, Map.of());
  }

  private static ResponseEntity<ProblemDetail> respond(
      ProblemType type, String detail, List<InvalidField> fields, Map<String, Object> properties) {
    ResponseEntity.BodyBuilder response = ResponseEntity.status(type.status());
    if (type == ProblemType.UNAUTHORIZED) {
      response.header(HttpHeaders.WWW_AUTHENTICATE, "Bearer");
    }
    if (type.status().value() == HttpStatus.SERVICE_UNAVAILABLE.value()) {
      response.header(HttpHeaders.RETRY_AFTER, ApiProblem.RETRY_AFTER_SECONDS);
    }
    ProblemDetail body = problemDetail(type, detail, fields);
    properties.forEach(body::setProperty);
    return response.body(body);
  }

  private static ProblemDetail problemDetail(
      ProblemType type, String detail, List<InvalidField> fields) {
    ProblemDetail problem = ProblemDetail.forStatusAndDetail(type.status(), detail);
    problem.setType(type.type());
    problem.setTitle(type.title());
    if (!fields.isEmpty()) {
      problem.setProperty("errors", fields);
    }
    return problem;
  }
}
