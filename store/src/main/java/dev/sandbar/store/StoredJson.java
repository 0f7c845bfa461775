package dev.sandbar.store;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.UncheckedIOException;

/**
 * JSON as stored in PostgreSQL ({@code sandboxes.spec}, {@code sandboxes.labels}, {@code
 * hosts.labels}, {@code hosts.images}). Written with the Jackson 2 mapper the Temporal SDK brings,
 * not the API's Jackson 3 one, because the worker reads these columns back without Spring: one
 * format for every module. Callers name the type they stored, for example {@code
 * StoredJson.read(row.spec(), SandboxSpec.class)}. Unknown properties are ignored, so a row written
 * by a newer version still reads.
 */
public final class StoredJson {

  private static final ObjectMapper MAPPER =
      new ObjectMapper().disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

  private StoredJson() {}

  public static String write(Object value) {
    try {
      return MAPPER.writeValueAsString(value);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(String json, Class<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static <T> T read(String json, TypeReference<T> type) {
    try {
      return MAPPER.readValue(json, type);
    } catch (JsonProcessingException e) {
      throw new UncheckedIOException(e);
    }
  }
}
