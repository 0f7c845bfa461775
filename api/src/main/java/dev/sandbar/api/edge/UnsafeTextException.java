package dev.sandbar.api.edge;

import tools.jackson.core.JsonParser;
import tools.jackson.databind.exc.MismatchedInputException;

/**
 * A JSON string (value or object key) that {@link TextRules} refuses. Jackson adds the path of the
 * field it was reading, so the answer can name it.
 */
public final class UnsafeTextException extends MismatchedInputException {

  private static final long serialVersionUID = 1L;

  private final String rule;

  UnsafeTextException(JsonParser parser, String rule) {
    super(parser, "text " + rule, String.class);
    this.rule = rule;
  }

  /** The rule the text broke, worded to follow a field name ("must not contain NUL"). */
  public String rule() {
    return rule;
  }
}
