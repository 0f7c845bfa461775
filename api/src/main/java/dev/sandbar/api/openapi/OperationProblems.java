package dev.sandbar.api.openapi;

import dev.sandbar.api.auth.AdminOnly;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.MediaType;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.parameters.Parameter;
import io.swagger.v3.oas.models.responses.ApiResponse;
import io.swagger.v3.oas.models.responses.ApiResponses;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;
import org.springdoc.core.customizers.OperationCustomizer;
import org.springframework.core.annotation.AnnotatedElementUtils;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.method.HandlerMethod;

/**
 * Gives every operation the error answers it really gives, as {@code application/problem+json}:
 * those every handler of its shape can answer (400 when it reads a body or parameters, 401 and 403
 * when it needs a key, 404 when it names a resource, 500, 503) are added here, so a new endpoint
 * has them without a line of its own; those only some handlers answer (409, 413, 422, 429) are
 * declared on the handler with {@link ProblemResponse}. Admin-only operations require the {@code
 * admin} scheme. Query parameters with a fixed set of values become enums (see {@link WireEnums}).
 */
@Component
class OperationProblems implements OperationCustomizer {

  static final String PROBLEM_JSON = "application/problem+json";
  static final String BEARER = "bearer";
  static final String ADMIN = "admin";

  @Override
  public Operation customize(Operation operation, HandlerMethod handler) {
    AdminOnly admin = adminOnly(handler);
    boolean secured = operation.getSecurity() == null || !operation.getSecurity().isEmpty();
    ApiResponses responses = operation.getResponses();
    for (ProblemResponse declared :
        AnnotatedElementUtils.findMergedRepeatableAnnotations(
            handler.getMethod(), ProblemResponse.class)) {
      add(responses, declared.status(), declared.description());
    }
    if (hasInput(operation, handler)) {
      add(
          responses,
          400,
          "Invalid request: a field or parameter is wrong (type validation), or"
              + " the body is not JSON (malformed-request)");
    }
    boolean hidden = admin != null && admin.hiddenFromTenants();
    if (secured) {
      add(responses, 401, "Missing, invalid or revoked API key (type unauthorized)");
    }
    if (secured && !hidden) {
      add(
          responses,
          403,
          admin == null
              ? "The admin key on an endpoint that acts for a tenant (type forbidden)"
              : "Not the admin key, or the admin API is disabled (type forbidden)");
    }
    if (operation.getParameters() != null
        && operation.getParameters().stream().anyMatch(p -> "path".equals(p.getIn()))) {
      add(responses, 404, "No such resource, or not the caller's (type not-found)");
    } else if (hidden) {
      add(responses, 404, "A tenant's key: the operator's views are hidden (type not-found)");
    }
    add(responses, 500, "Unexpected failure (type internal) or a failed operation");
    add(
        responses,
        503,
        "Temporal or the database cannot be reached, or no host can take the"
            + " sandbox; retry later (type unavailable, no-host-capacity)");
    responses.forEach((code, response) -> asProblem(code, response, handler));
    operation.setResponses(sorted(responses));
    if (admin != null) {
      operation.setSecurity(List.of(new SecurityRequirement().addList(ADMIN)));
    }
    enumParameters(operation, handler);
    OperationNames.of(handler.getBeanType().getSimpleName(), handler.getMethod().getName())
        .ifPresent(operation::setOperationId);
    return operation;
  }

  private static @Nullable AdminOnly adminOnly(HandlerMethod handler) {
    AdminOnly marker = handler.getMethodAnnotation(AdminOnly.class);
    return marker != null ? marker : handler.getBeanType().getAnnotation(AdminOnly.class);
  }

  private static boolean hasInput(Operation operation, HandlerMethod handler) {
    boolean body =
        operation.getRequestBody() != null
            || Arrays.stream(handler.getMethodParameters())
                .anyMatch(p -> p.hasParameterAnnotation(RequestBody.class));
    boolean parameters =
        operation.getParameters() != null
            && operation.getParameters().stream().anyMatch(p -> !"path".equals(p.getIn()));
    return body || parameters;
  }

  private static void add(ApiResponses responses, int code, String description) {
    String key = Integer.toString(code);
    if (!responses.containsKey(key)) {
      responses.addApiResponse(key, new ApiResponse().description(description));
    }
  }

  /**
   * An error answer is a problem, whatever springdoc guessed from the handler's return type; an
   * error answer the handler declares with a schema of its own (health's 503) is left as declared.
   */
  private static void asProblem(String code, ApiResponse response, HandlerMethod handler) {
    if (!code.matches("[45]\\d\\d") || declaresOwnSchema(handler, code)) {
      return;
    }
    response.setContent(
        new Content()
            .addMediaType(
                PROBLEM_JSON,
                new MediaType().schema(new Schema<>().$ref(DocumentSchemas.PROBLEM_REF))));
  }

  private static boolean declaresOwnSchema(HandlerMethod handler, String code) {
    return AnnotatedElementUtils.findMergedRepeatableAnnotations(
            handler.getMethod(), io.swagger.v3.oas.annotations.responses.ApiResponse.class)
        .stream()
        .anyMatch(
            declared ->
                declared.responseCode().equals(code)
                    && declared.content().length > 0
                    && declared.content()[0].schema().implementation() != Void.class);
  }

  private static ApiResponses sorted(ApiResponses responses) {
    ApiResponses ordered = new ApiResponses();
    new TreeMap<>(responses).forEach(ordered::addApiResponse);
    return ordered;
  }

  private static void enumParameters(Operation operation, HandlerMethod handler) {
    if (operation.getParameters() == null) {
      return;
    }
    String controller = handler.getBeanType().getSimpleName();
    String method = handler.getMethod().getName();
    for (Parameter parameter : operation.getParameters()) {
      WireEnums.parameter(controller, method, parameter.getName())
          .ifPresent(values -> parameter.setSchema(enumOf(values)));
    }
  }

  /** A schema of its own: springdoc shares one instance among parameters of the same type. */
  private static Schema<String> enumOf(List<String> values) {
    return new StringSchema()._enum(values);
  }
}
