package dev.sandbar.api.problem;

import java.util.List;

/**
 * A failure the client is told about as {@code application/problem+json}. The detail is written
 * for the client: it never carries an exception's class name or stack.
 */
public final class ApiProblem extends RuntimeException {

  private final ProblemType type;
  private final List<InvalidField> invalidFields;

  private ApiProblem(ProblemType type, String detail, List<InvalidField> invalidFields) {
    super(detail, null, false, false);
    this.type = type;
    this.invalidFields = List.copyOf(invalidFields);
  }

  public static ApiProblem of(ProblemType type, String detail) {
    return new ApiProblem(type, detail, List.of());
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
    return new ApiProblem(ProblemType.VALIDATION, detail, List.of(new InvalidField(field, message)));
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
}
