package dev.sandbar.api.edge;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.api.ApiIntegrationTest;
import dev.sandbar.api.testing.ApiClient.Response;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

/**
 * Runs a generated corpus of bad requests against every operation of the served OpenAPI document:
 * bad JSON, wrong types, NUL and unpaired surrogates, huge and negative numbers, unknown fields,
 * deep nesting, bad path ids and query parameters. Every answer must be a 4xx {@code
 * application/problem+json}, and the database must hold exactly what it held before.
 *
 * <p>Path variables name things that exist (the tenant's sandbox, archive, a host), so a bad
 * request cannot hide behind a 404 of its path: it must be refused for what is bad in it.
 */
class BadInputCorpusTest extends ApiIntegrationTest {

  /** Operations the admin key calls; every other one is called with the tenant's key. */
  private static final List<String> ADMIN_PATHS =
      List.of("/v1/admin/", "/v1/hosts", "/v1/operations");

  private static final List<String> BAD_PATH_IDS =
      List.of(
          "..%2F..%2Fetc",
          "a%2Fb",
          "%2e%2e",
          "a%00b",
          "a%20b",
          "a%5Cb",
          "%ED%A0%80",
          "%F0%9F%98%80",
          "x".repeat(300));

  private static final List<String> BAD_JSON =
      List.of(
          "{",
          "{\"a\": }",
          "not json",
          "[]",
          "\"text\"",
          "42",
          "{} {}",
          "{\"zzUnknownField\": 1}",
          "[".repeat(5000) + "]".repeat(5000),
          "{\"a\": " + "{\"a\": ".repeat(100) + "1" + "}".repeat(101),
          "{\"\\u0000\": 1}");

  private static final String LONG = "x".repeat(5000);

  /** The corpus for one parameter or property, by its OpenAPI type. */
  private static List<String> badQueryValues(String type) {
    List<String> values = new ArrayList<>(List.of("%00", "a%00b", "%ED%A0%80", "%FF", LONG));
    switch (type) {
      case "integer" -> values.addAll(List.of("-1", "abc", "1.5", "99999999999999999999999"));
      case "number" -> values.addAll(List.of("-1", "abc", "1e400"));
      case "boolean" -> values.addAll(List.of("maybe", "2"));
      default -> {}
    }
    return values;
  }

  private static List<String> badJsonValues(String type) {
    List<String> values =
        new ArrayList<>(List.of("\"\\u0000\"", "\"a\\ud800\"", "{\"zz\": 1}", "[[[[1]]]]"));
    switch (type) {
      case "integer" ->
          values.addAll(List.of("-1", "\"12\"", "\"\"", "1.5", "99999999999999999999999", "true"));
      case "number" -> values.addAll(List.of("-1", "\"1\"", "\"\"", "1e400", "true"));
      case "boolean" -> values.addAll(List.of("\"true\"", "1", "null1"));
      case "string" -> values.addAll(List.of("12", "true", "[\"a\"]", "{}"));
      case "array" -> values.addAll(List.of("\"a\"", "[\"\\u0000\"]", "[1, {}]"));
      case "object" -> values.addAll(List.of("\"a\"", "{\"k\": \"\\u0000\"}", "{\"k\": [1]}"));
      default -> {}
    }
    return values;
  }

  /** A body each operation accepts, into which one bad member is put. */
  private static final Map<String, String> VALID_BODIES =
      Map.of(
          "POST /v1/sandboxes/{id}/exec", "{\"command\": \"true\"}",
          "POST /v1/admin/tenants", "{\"name\": \"corpus\"}");

  private String sandbox;
  private String archive;

  @Test
  void everyOperationRefusesEveryBadRequestWithAProblemAndChangesNothing() {
    ensureBaseImageHost();
    sandbox = insertRunningSandbox(tenant.id());
    archive = insertArchive(tenant.id(), sandbox, "available", Instant.now(), "0".repeat(64));
    JsonNode document = get("/v3/api-docs", null).json();
    Map<String, String> before = databaseState();

    List<String> failures = new ArrayList<>();
    int requests = 0;
    int operations = 0;
    for (Map.Entry<String, JsonNode> path : document.path("paths").properties()) {
      for (Map.Entry<String, JsonNode> operation : path.getValue().properties()) {
        String method = operation.getKey().toUpperCase();
        operations++;
        for (BadRequest bad : corpus(document, method, path.getKey(), operation.getValue())) {
          requests++;
          Response response = send(method, bad.path(), keyFor(path.getKey()), bad.body(), Map.of());
          if (response.status() < 400
              || response.status() > 499
              || !response.contentType().startsWith(PROBLEM_JSON)) {
            failures.add(
                method
                    + " "
                    + abbreviated(bad.path())
                    + " body="
                    + abbreviated(bad.body())
                    + " -> "
                    + response.status()
                    + " "
                    + response.contentType()
                    + " "
                    + abbreviated(response.body()));
          }
        }
      }
    }

    System.out.printf("bad-input corpus: %d requests over %d operations%n", requests, operations);
    assertThat(operations).isGreaterThan(25);
    assertThat(failures).as("answers that are not a 4xx problem").isEmpty();
    assertThat(databaseState()).as("the database after the corpus").isEqualTo(before);
  }

  private record BadRequest(String path, String body) {}

  private List<BadRequest> corpus(
      JsonNode document, String method, String template, JsonNode operation) {
    List<BadRequest> corpus = new ArrayList<>();
    String goodPath = fill(template, Map.of());
    List<String> pathVariables = new ArrayList<>();
    List<JsonNode> queryParameters = new ArrayList<>();
    for (JsonNode parameter : operation.path("parameters")) {
      String in = parameter.path("in").asString();
      if (in.equals("path")) {
        pathVariables.add(parameter.path("name").asString());
      } else if (in.equals("query")) {
        queryParameters.add(parameter);
      }
    }
    String body = VALID_BODIES.getOrDefault(method + " " + template, "{}");
    boolean takesBody = operation.has("requestBody");
    // Bad path ids, one variable at a time.
    for (String variable : pathVariables) {
      for (String bad : BAD_PATH_IDS) {
        corpus.add(new BadRequest(fill(template, Map.of(variable, bad)), takesBody ? body : null));
      }
    }
    // Bad query parameters, named ones by their type and an unknown one.
    for (JsonNode parameter : queryParameters) {
      String type = parameter.path("schema").path("type").asString("string");
      if (type.equals("array")) {
        type = parameter.path("schema").path("items").path("type").asString("string");
      }
      for (String bad : badQueryValues(type)) {
        corpus.add(
            new BadRequest(
                goodPath + "?" + parameter.path("name").asString() + "=" + bad,
                takesBody ? body : null));
      }
    }
    for (String bad : List.of("%00", "%ED%A0%80", "a%00b")) {
      corpus.add(new BadRequest(goodPath + "?zzUnknown=" + bad, takesBody ? body : null));
    }
    if (takesBody) {
      for (String bad : BAD_JSON) {
        corpus.add(new BadRequest(goodPath, bad));
      }
      JsonNode schema = bodySchema(document, operation);
      for (Map.Entry<String, String> member : badMembers(document, schema, "").entrySet()) {
        corpus.add(new BadRequest(goodPath, withMember(body, member.getKey(), member.getValue())));
      }
    }
    return corpus;
  }

  /**
   * Every property of {@code schema} (and of the objects it nests) with each bad value for its
   * type, as {@code "a.b" -> value} pairs keyed uniquely.
   */
  private static Map<String, String> badMembers(JsonNode document, JsonNode schema, String prefix) {
    Map<String, String> members = new LinkedHashMap<>();
    for (Map.Entry<String, JsonNode> property :
        resolve(document, schema).path("properties").properties()) {
      JsonNode propertySchema = resolve(document, property.getValue());
      String name = prefix + property.getKey();
      String type = propertySchema.path("type").asString("object");
      List<String> values = badJsonValues(type);
      for (int i = 0; i < values.size(); i++) {
        members.put(name + "#" + i, values.get(i));
      }
      if (type.equals("object") && propertySchema.has("properties") && prefix.isEmpty()) {
        members.putAll(badMembers(document, propertySchema, name + "."));
      }
    }
    return members;
  }

  /** {@code body} with the member at {@code path} (without its {@code #n}) set to {@code value}. */
  private static String withMember(String body, String keyedPath, String value) {
    String[] names = keyedPath.substring(0, keyedPath.indexOf('#')).split("\\.");
    String member = "{\"" + names[names.length - 1] + "\": " + value + "}";
    for (int i = names.length - 2; i >= 0; i--) {
      member = "{\"" + names[i] + "\": " + member + "}";
    }
    String inner = member.substring(1, member.length() - 1);
    return body.equals("{}") ? member : body.substring(0, body.length() - 1) + ", " + inner + "}";
  }

  private static JsonNode bodySchema(JsonNode document, JsonNode operation) {
    return resolve(
        document,
        operation.path("requestBody").path("content").path("application/json").path("schema"));
  }

  private static JsonNode resolve(JsonNode document, JsonNode schema) {
    String ref = schema.path("$ref").asString("");
    if (ref.startsWith("#/components/schemas/")) {
      return document
          .path("components")
          .path("schemas")
          .path(ref.substring("#/components/schemas/".length()));
    }
    return schema;
  }

  /** The path with each variable set to an existing thing, or to {@code bad}'s value. */
  private String fill(String template, Map<String, String> bad) {
    String path = template;
    for (String variable : List.of("id", "taskId", "tenantId", "keyId")) {
      String value = bad.getOrDefault(variable, existing(template, variable));
      path = path.replace("{" + variable + "}", value);
    }
    return path;
  }

  private String existing(String template, String variable) {
    return switch (variable) {
      case "id" ->
          template.startsWith("/v1/hosts")
              ? "base-host"
              : template.startsWith("/v1/archives") ? archive : sandbox;
      case "taskId" -> "t-corpus";
      case "tenantId" -> tenant.id();
      default -> "key-corpus";
    };
  }

  private String keyFor(String template) {
    return ADMIN_PATHS.stream().anyMatch(template::startsWith) ? ADMIN_KEY : tenant.key();
  }

  /** What the corpus could have changed: the tenant's rows, every tenant and key, the hosts. */
  private Map<String, String> databaseState() {
    Map<String, String> state = new LinkedHashMap<>();
    for (String table :
        List.of(
            "sandboxes",
            "exec_tasks",
            "notifications",
            "archives",
            "audit_events",
            "command_admissions",
            "tenant_quotas")) {
      state.put(
          table,
          queryOne(
              "select coalesce(md5(string_agg(t::text, '|' order by t::text)), '') from "
                  + table
                  + " t where tenant_id = :id",
              tenant.id(),
              String.class));
    }
    state.put("tenants", count("select count(*) from tenants"));
    state.put("api_keys", count("select count(*) from api_keys where revoked_at is null"));
    state.put(
        "hosts",
        count(
            "select coalesce(md5(string_agg(id || draining::text, '|' order by id)), '')"
                + " from hosts"));
    state.put("host_events", count("select count(*) from host_events"));
    return state;
  }

  private String count(String sql) {
    return jdbi.withHandle(handle -> handle.createQuery(sql).mapTo(String.class).one());
  }

  private static String abbreviated(String text) {
    if (text == null) {
      return "null";
    }
    return text.length() > 160 ? text.substring(0, 160) + "…(" + text.length() + ")" : text;
  }
}
