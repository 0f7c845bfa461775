package dev.sandbar.api.edge;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.InvalidField;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.apache.tomcat.util.http.InvalidParameterException;
import org.springframework.web.servlet.HandlerInterceptor;
import org.springframework.web.servlet.HandlerMapping;

/**
 * Checks the texts of a request's URL before a controller sees them: every query parameter (name
 * and values) and every path variable. Path variables are ids (of sandboxes, tasks, archives,
 * hosts, tenants, keys), which Sandbar only ever makes of letters, digits and {@code . _ : @ -};
 * anything else (a slash, {@code ..}, NUL) names nothing and would only reach the database or a
 * workflow id, so it is a 400 naming the variable.
 */
final class RequestTextInterceptor implements HandlerInterceptor {

  static final int MAX_ID = 255;
  static final int MAX_PARAMETER = 4096;
  private static final Pattern ID = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._:@-]*");

  @Override
  public boolean preHandle(
      HttpServletRequest request, HttpServletResponse response, Object handler) {
    List<InvalidField> errors = new ArrayList<>();
    Map<String, String[]> parameters;
    try {
      parameters = request.getParameterMap();
    } catch (InvalidParameterException e) {
      // Tomcat could not decode the query (bad percent-encoding, or bytes that are not UTF-8).
      throw ApiProblem.invalid("query", "is not valid percent-encoded UTF-8");
    }
    parameters.forEach((name, values) -> checkParameter(name, values, errors));
    if (request.getAttribute(HandlerMapping.URI_TEMPLATE_VARIABLES_ATTRIBUTE)
        instanceof Map<?, ?> variables) {
      variables.forEach(
          (name, value) -> checkId(String.valueOf(name), String.valueOf(value), errors));
    }
    if (!errors.isEmpty()) {
      throw ApiProblem.invalid(errors);
    }
    return true;
  }

  private static void checkParameter(String name, String[] values, List<InvalidField> errors) {
    String nameRule = TextRules.violation(name);
    if (nameRule != null || name.length() > MAX_PARAMETER) {
      errors.add(
          new InvalidField(
              "query", "a parameter name " + (nameRule == null ? "is too long" : nameRule)));
      return;
    }
    for (String value : values) {
      String rule = TextRules.violation(value);
      if (rule != null) {
        errors.add(new InvalidField(name, rule));
        return;
      }
      if (value.length() > MAX_PARAMETER) {
        errors.add(new InvalidField(name, "must be at most " + MAX_PARAMETER + " characters"));
        return;
      }
    }
  }

  private static void checkId(String name, String value, List<InvalidField> errors) {
    if (value.length() > MAX_ID || !ID.matcher(value).matches()) {
      errors.add(
          new InvalidField(
              name,
              "must be 1-"
                  + MAX_ID
                  + " characters of letters, digits, '.', '_', ':', '@' or '-',"
                  + " starting with a letter or digit"));
    }
  }
}
