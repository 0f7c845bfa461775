package dev.sandbar.api.edge;

import tools.jackson.core.JacksonException;
import tools.jackson.core.JsonParser;
import tools.jackson.databind.DeserializationContext;
import tools.jackson.databind.KeyDeserializer;
import tools.jackson.databind.deser.jdk.StringDeserializer;
import tools.jackson.databind.module.SimpleModule;

/**
 * Applies {@link TextRules} to every string a request body carries, values and object keys alike
 * (labels, env, host selectors), as the parser reads it: one rule for every field, present and
 * future, instead of a check in each validator that a new field could miss.
 */
public final class SafeTextModule extends SimpleModule {

  private static final long serialVersionUID = 1L;

  public SafeTextModule() {
    super("sandbar-safe-text");
    addDeserializer(String.class, new SafeStringDeserializer());
    addKeyDeserializer(String.class, new SafeKeyDeserializer());
  }

  private static final class SafeStringDeserializer extends StringDeserializer {
    @Override
    public String deserialize(JsonParser parser, DeserializationContext context)
        throws JacksonException {
      String text = super.deserialize(parser, context);
      return text == null ? null : checked(parser, text);
    }
  }

  private static final class SafeKeyDeserializer extends KeyDeserializer {
    @Override
    public Object deserializeKey(String key, DeserializationContext context)
        throws JacksonException {
      return checked(context.getParser(), key);
    }
  }

  private static String checked(JsonParser parser, String text) {
    String rule = TextRules.violation(text);
    if (rule != null) {
      throw new UnsafeTextException(parser, rule);
    }
    return text;
  }
}
