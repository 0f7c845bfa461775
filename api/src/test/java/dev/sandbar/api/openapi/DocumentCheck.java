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
import java.util.TreeSet;

/**
 * Checks exchanges with the API against the OpenAPI document it serves, with Atlassian's
 * swagger-request-validator, and keeps every violation (and every exchange checked) for the test to
 * assert on.
 */
final class DocumentCheck {

  private final OpenApiInteractionValidator validator;
  private final List<String> violations = new ArrayList<>();
  private final Set<String> checked = new TreeSet<>();

  DocumentCheck(String document) {
    this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
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
