package dev.sandbar.api.openapi;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import dev.sandbar.api.testing.ApiClient.Response;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;
import tools.jackson.databind.json.JsonMapper;

/**
 * Checks exchanges with the API against the OpenAPI document it serves, with Atlassian's
 * swagger-request-validator, and keeps every violation (and every exchange checked) for the test to
 * assert on.
 */
final class DocumentCheck {

  private final OpenApiInteractionValidator validator;
  private final List<String> violations = new ArrayList<>();
  private final Set<String> checked = new TreeSet<>();
  private final Map<String, Pattern> operations = new TreeMap<>();
  private final Set<String> exercised = new TreeSet<>();

  DocumentCheck(String document) {
    this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
    JsonMapper.builder()
        .build()
        .readTree(document)
        .path("paths")
        .properties()
        .forEach(
            path ->
                path.getValue()
                    .properties()
                    .forEach(
                        operation ->
                            operations.put(
                                operation.getValue().path("operationId").asString(),
                                Pattern.compile(
                                    operation.getKey().toUpperCase(Locale.ROOT)
                                        + " "
                                        + path.getKey().replaceAll("\\{[^}]+}", "[^/]+")))));
  }

  /** The ids of the document's operations that no checked exchange called. */
  Set<String> unexercised() {
    Set<String> left = new TreeSet<>(operations.keySet());
    left.removeAll(exercised);
    return left;
  }

  /**
   * Checks the answer, and the request too unless it was wrong on purpose (a request the document
   * forbids, sent to see the API refuse it).
   */
  void check(
      String method,
      String pathAndQuery,
      String key,
      String body,
      Map<String, String> headers,
      Response response,
      boolean checkRequest) {
    String[] parts = pathAndQuery.split("\\?", 2);
    String path = parts[0];
    Request.Method verb = Request.Method.valueOf(method.toUpperCase(Locale.ROOT));
    SimpleResponse.Builder answer = SimpleResponse.Builder.status(response.status());
    if (!response.contentType().isEmpty()) {
      answer.withContentType(response.contentType());
    }
    if (!response.body().isEmpty()) {
      answer.withBody(response.body());
    }
    ValidationReport report;
    if (checkRequest) {
      SimpleRequest.Builder request = new SimpleRequest.Builder(verb, path);
      if (parts.length > 1) {
        for (String pair : parts[1].split("&")) {
          String[] nameValue = pair.split("=", 2);
          request.withQueryParam(
              decode(nameValue[0]), nameValue.length > 1 ? decode(nameValue[1]) : "");
        }
      }
      if (key != null) {
        request.withAuthorization("Bearer " + key);
      }
      if (body != null) {
        request.withContentType("application/json").withBody(body);
      }
      headers.forEach(request::withHeader);
      report = validator.validate(request.build(), answer.build());
    } else {
      report = validator.validateResponse(path, verb, answer.build());
    }
    checked.add(method + " " + pathAndQuery + " -> " + response.status());
    operations.forEach(
        (id, pattern) -> {
          if (pattern.matcher(verb.name() + " " + path).matches()) {
            exercised.add(id);
          }
        });
    for (ValidationReport.Message message : report.getMessages()) {
      violations.add(
          method
              + " "
              + pathAndQuery
              + " -> "
              + response.status()
              + ": ["
              + message.getKey()
              + "] "
              + message.getMessage()
              + "\n    answer: "
              + response.body());
    }
  }

  List<String> violations() {
    return violations;
  }

  Set<String> checked() {
    return checked;
  }

  private static String decode(String value) {
    return URLDecoder.decode(value, StandardCharsets.UTF_8);
  }
}
