package dev.sandbar.api.openapi;

import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.Operation;
import io.swagger.v3.oas.models.media.Content;
import io.swagger.v3.oas.models.media.Schema;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Marks every member of the schemas the API only answers with as required: the API writes each
 * record component, null or not (nulls are {@code nullable}), so a generated client may rely on its
 * presence. Schemas that requests use too keep their members optional, since a request may leave
 * them out.
 */
final class AnswerSchemas {

  private static final String REF_PREFIX = "#/components/schemas/";

  private AnswerSchemas() {}

  @SuppressWarnings({"rawtypes", "unchecked"})
  static void requireMembers(OpenAPI openApi) {
    Map<String, Schema> schemas = openApi.getComponents().getSchemas();
    if (schemas == null || openApi.getPaths() == null) {
      return;
    }
    List<Schema> answered = new ArrayList<>();
    List<Schema> sent = new ArrayList<>();
    openApi
        .getPaths()
        .values()
        .forEach(
            path -> {
              for (Operation operation : path.readOperations()) {
                if (operation.getRequestBody() != null) {
                  sent.addAll(schemasOf(operation.getRequestBody().getContent()));
                }
                if (operation.getResponses() != null) {
                  operation
                      .getResponses()
                      .forEach(
                          (code, response) -> {
                            if (code.startsWith("2")) {
                              answered.addAll(schemasOf(response.getContent()));
                            }
                          });
                }
              }
            });
    Set<String> onlyAnswered = reachable(answered, schemas);
    onlyAnswered.removeAll(reachable(sent, schemas));
    for (String name : onlyAnswered) {
      Schema schema = schemas.get(name);
      if (schema != null && schema.getProperties() != null) {
        schema.setRequired(new ArrayList<>(schema.getProperties().keySet()));
      }
    }
  }

  @SuppressWarnings("rawtypes")
  private static List<Schema> schemasOf(Content content) {
    List<Schema> found = new ArrayList<>();
    if (content != null) {
      content.values().forEach(media -> found.add(media.getSchema()));
    }
    return found;
  }

  /** The names of the component schemas {@code roots} refer to, directly or through others. */
  @SuppressWarnings({"rawtypes", "unchecked"})
  private static Set<String> reachable(List<Schema> roots, Map<String, Schema> schemas) {
    Set<String> names = new HashSet<>();
    Deque<Schema> pending = new ArrayDeque<>(roots.stream().filter(s -> s != null).toList());
    while (!pending.isEmpty()) {
      Schema schema = pending.pop();
      if (schema.get$ref() != null) {
        String name = schema.get$ref().replace(REF_PREFIX, "");
        if (names.add(name) && schemas.get(name) != null) {
          pending.push(schemas.get(name));
        }
        continue;
      }
      if (schema.getProperties() != null) {
        schema.getProperties().values().forEach(p -> pending.push((Schema) p));
      }
      if (schema.getItems() != null) {
        pending.push(schema.getItems());
      }
      if (schema.getAllOf() != null) {
        schema.getAllOf().forEach(s -> pending.push((Schema) s));
      }
      if (schema.getAdditionalProperties() instanceof Schema values) {
        pending.push(values);
      }
    }
    return names;
  }
}
