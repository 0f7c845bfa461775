package dev.sandbar.api.problem;

/**
 * Problem bodies for the places that answer before Spring MVC runs (a servlet filter, Tomcat's own
 * error report), in the same shape the problem handler gives: {@code type}, {@code title}, {@code
 * status}, {@code detail}.
 */
public final class ProblemBodies {

  public static final String MEDIA_TYPE = "application/problem+json";

  private ProblemBodies() {}

  /** The body of a problem of HTTP status {@code status}. */
  public static String forStatus(int status, String detail) {
    return of(ProblemType.forStatus(status), status, detail);
  }

  /** The body of a problem of type {@code type}. */
  public static String of(ProblemType type, String detail) {
    return of(type, type.status().value(), detail);
  }

  private static String of(ProblemType type, int status, String detail) {
    return "{\"type\":"
        + quoted(type.type().toString())
        + ",\"title\":"
        + quoted(type.title())
        + ",\"status\":"
        + status
        + ",\"detail\":"
        + quoted(detail)
        + "}";
  }

  private static String quoted(String text) {
    StringBuilder json = new StringBuilder(text.length() + 2).append('"');
    for (int i = 0; i < text.length(); i++) {
      char c = text.charAt(i);
      switch (c) {
        case '"' -> json.append("\\\"");
        case '\\' -> json.append("\\\\");
        default -> {
          if (c < 0x20) {
            json.append(String.format("\\u%04x", (int) c));
          } else {
            json.append(c);
          }
        }
      }
    }
    return json.append('"').toString();
  }
}
