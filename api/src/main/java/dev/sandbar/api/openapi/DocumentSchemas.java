package dev.sandbar.api.openapi;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.media.ArraySchema;
import io.swagger.v3.oas.models.media.IntegerSchema;
import io.swagger.v3.oas.models.media.ObjectSchema;
import io.swagger.v3.oas.models.media.Schema;
import io.swagger.v3.oas.models.media.StringSchema;
import io.swagger.v3.oas.models.security.SecurityScheme;
import java.util.List;
import java.util.Map;
import org.springdoc.core.customizers.OpenApiCustomizer;
import org.springframework.stereotype.Component;

/**
 * What the document holds beyond its operations: the problem schema every error answer refers to,
 * the {@code admin} security scheme of the operator's endpoints, and examples of the main schemas.
 */
@Component
class DocumentSchemas implements OpenApiCustomizer {

  static final String PROBLEM = "Problem";
  static final String PROBLEM_REF = "#/components/schemas/" + PROBLEM;
  private static final String INVALID_FIELD = "InvalidField";

  @Override
  @SuppressWarnings("rawtypes")
  public void customise(OpenAPI openApi) {
    Components components = openApi.getComponents();
    if (components == null) {
      components = new Components();
      openApi.setComponents(components);
    }
    components.addSecuritySchemes(
        OperationProblems.ADMIN,
        new SecurityScheme()
            .type(SecurityScheme.Type.HTTP)
            .scheme("bearer")
            .description(
                "The operator's admin key (SANDBAR_ADMIN_KEY), sent as"
                    + " `Authorization: Bearer <admin key>`"));
    components.addSchemas(INVALID_FIELD, invalidField());
    components.addSchemas(PROBLEM, problem());
    AnswerSchemas.requireMembers(openApi);
    Map<String, Schema> schemas = components.getSchemas();
    ApiExamples.EXAMPLES.forEach(
        (name, example) -> {
          Schema<?> schema = schemas.get(name);
          if (schema != null) {
            schema.setExample(example);
          }
        });
  }

  @SuppressWarnings("unchecked")
  private static Schema<?> invalidField() {
    return new ObjectSchema()
        .description("One rejected field of a request")
        .addProperty(
            "field",
            new StringSchema()
                .description("The JSON path of the field, such as resources.cpus or labels.Team"))
        .addProperty("message", new StringSchema())
        .required(List.of("field", "message"));
  }

  /**
   * RFC 9457, as {@code ProblemHandler} writes it. Some problems carry more members for the client
   * to act on (quota-exceeded: quota, limit, current; create-failed: sandboxId), so more are
   * allowed.
   */
  @SuppressWarnings("unchecked")
  private static Schema<?> problem() {
    Schema<?> problem =
        new ObjectSchema()
            .description(
                "An error answer (application/problem+json). Branch on type, never on detail.")
            .addProperty(
                "type",
                new StringSchema()
                    .format("uri")
                    .description(
                        "https://sandbar.dev/problems/<slug>: validation, malformed-request,"
                            + " unauthorized, forbidden, not-found, conflict, invalid-state,"
                            + " sandbox-not-running, payload-too-large, archive-corrupt,"
                            + " archive-unsafe, create-failed, quota-exceeded, operation-failed,"
                            + " export-failed, internal, no-host-capacity, unavailable, ..."))
            .addProperty("title", new StringSchema())
            .addProperty("status", new IntegerSchema().format("int32"))
            .addProperty("detail", new StringSchema().nullable(true))
            .addProperty("instance", new StringSchema().nullable(true))
            .addProperty(
                "errors",
                new ArraySchema()
                    .items(new Schema<>().$ref("#/components/schemas/" + INVALID_FIELD))
                    .description("The fields at fault, for type validation"))
            .required(List.of("type", "title", "status"));
    problem.setAdditionalProperties(true);
    problem.setExample(
        Map.of(
            "type", "https://sandbar.dev/problems/invalid-state",
            "title", "Invalid state for this operation",
            "status", 409,
            "detail", "sandbox sb-4f2kq9x7m1c8d3e5a6b0 is stopped; pause needs running"));
    return problem;
  }
}
