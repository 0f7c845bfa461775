package dev.sandbar.api.e2b.envd;

import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

/**
 * Reads fields of a proto3 JSON message (lowerCamelCase names, bytes as Base64, absent fields at
 * their defaults), refusing a field of the wrong type with a Connect {@code invalid_argument}.
 */
final class ProtoJson {

  private ProtoJson() {}

  static boolean present(JsonNode message, String field) {
    JsonNode value = message.get(field);
    return value != null && !value.isNull();
  }

  static String string(JsonNode message, String field, String absent) {
    String value = optionalString(message, field);
    return value == null ? absent : value;
  }

  static @Nullable String optionalString(JsonNode message, String field) {
    if (!present(message, field)) {
      return null;
    }
    JsonNode value = message.get(field);
    if (!value.isString()) {
      throw ConnectException.invalid(field + " must be a string");
    }
    return value.asString();
  }

  static List<String> strings(JsonNode message, String field) {
    List<String> list = new ArrayList<>();
    if (!present(message, field)) {
      return list;
    }
    JsonNode value = message.get(field);
    if (!value.isArray()) {
      throw ConnectException.invalid(field + " must be a list of strings");
    }
    for (JsonNode item : value) {
      if (!item.isString()) {
        throw ConnectException.invalid(field + " must be a list of strings");
      }
      list.add(item.asString());
    }
    return list;
  }

  static Map<String, String> stringMap(JsonNode message, String field) {
    Map<String, String> map = new LinkedHashMap<>();
    if (!present(message, field)) {
      return map;
    }
    JsonNode value = message.get(field);
    if (!value.isObject()) {
      throw ConnectException.invalid(field + " must be a map of strings");
    }
    for (Map.Entry<String, JsonNode> entry : value.properties()) {
      if (!entry.getValue().isString()) {
        throw ConnectException.invalid(field + "." + entry.getKey() + " must be a string");
      }
      map.put(entry.getKey(), entry.getValue().asString());
    }
    return map;
  }

  /** A bytes field: standard or URL-safe Base64, padded or not. */
  static byte[] bytes(JsonNode message, String field) {
    String text = string(message, field, "");
    try {
      return text.indexOf('-') >= 0 || text.indexOf('_') >= 0
          ? Base64.getUrlDecoder().decode(text)
          : Base64.getDecoder().decode(text);
    } catch (IllegalArgumentException e) {
      throw ConnectException.invalid(field + " must be Base64");
    }
  }
}
