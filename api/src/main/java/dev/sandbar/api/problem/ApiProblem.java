package dev.sandbar.api.problem;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A failure the client is told about as {@code application/problem+json}. The detail is written for
 * the client: it never carries an exception's class name or stack.
 */
public final class ApiProblem extends RuntimeException {

  /**
   * The {@code Retry-After} of every 503, in seconds: long enough for start-up recovery or a
   * reconnect to Temporal, short enough not to idle.
   */
  public static final String RETRY_AFTER_SECONDS = "2";

  private final ProblemType type;
  private final List<InvalidField> invalidFields;
  private final Map<String, Object> properties;

  private ApiProblem(ProblemType type, String detail, List<InvalidField> invalidFields) {
    this(type, detail, invalidFields, Map.of());
  }

  private ApiProblem(
      ProblemType type,
      String detail,
      List<InvalidField> invalidFields,
      Map<String, Object> properties) {
    super(detail, null, false, false);
    this.type = type;
    this.invalidFields = List.copyOf(invalidFields);
    this.properties = Map.copyOf(properties);
  }

  public static ApiProblem of(ProblemType type, String detail) {
    return new ApiProblem(type, detail, List.of());
  }

  /**
   * This problem with one more member in its JSON body, for what a client needs to act on it (the
   * id of a sandbox that was created but failed, say).
   */
  public ApiProblem with(String name, Object value) {
    Map<String, Object> more = new LinkedHashMap<>(properties);
    more.put(name, value);
    return new ApiProblem(type, getMessage(), invalidFields, more);
  }

  public static ApiProblem invalid(List<InvalidField> fields) {
    String detail =
        fields.size() == 1
            ? fields.getFirst().field() + ": " + fields.getFirst().message()
            : fields.size() + " fields are invalid";
    return new ApiProblem(ProblemType.VALIDATION, detail, fields);
  }

  public static ApiProblem invalid(String field, String message) {
    return invalid(List.of(new InvalidField(field, message)));
  }

  /** A 400 whose detail is {@code detail} exactly, still naming the field at fault. */
  public static ApiProblem invalid(String field, String message, String detail) {
    return new ApiProblem(
        ProblemType.VALIDATION, detail, List.of(new InvalidField(field, message)));
  }

  public static ApiProblem notFound(String detail) {
    return of(ProblemType.NOT_FOUND, detail);
  }

  public static ApiProblem unauthorized(String detail) {
    return of(ProblemType.UNAUTHORIZED, detail);
  }

  public static ApiProblem forbidden(String detail) {
    return of(ProblemType.FORBIDDEN, detail);
  }

  public static ApiProblem invalidState(String detail) {
    return of(ProblemType.INVALID_STATE, detail);
  }

  public static ApiProblem unavailable(String detail) {
    return of(ProblemType.UNAVAILABLE, detail);
  }

  public ProblemType type() {
    return type;
  }

  public List<InvalidField> invalidFields() {
    return invalidFields;
  }

  public Map<String, Object> properties() {
    return properties;
  }
}
