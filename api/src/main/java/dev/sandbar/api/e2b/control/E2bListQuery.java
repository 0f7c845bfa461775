package dev.sandbar.api.e2b.control;

import dev.sandbar.api.problem.ApiProblem;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/** Reads the query of E2B's list ({@code GET /e2b/v2/sandboxes}). */
final class E2bListQuery {

  /** E2B's page size when none is asked for, and its largest. */
  static final int DEFAULT_LIMIT = 100;

  private E2bListQuery() {}

  /**
   * E2B's {@code metadata} filter: {@code key=value} pairs joined by {@code &}, each key and value
   * URL-encoded (E2B's rule), inside a form-encoded string: what is left once the server has
   * decoded the query is decoded twice, as E2B's server does ({@code "a b"} arrives as {@code
   * a%2520b}).
   */
  static Map<String, String> metadata(@Nullable String query) {
    Map<String, String> metadata = new LinkedHashMap<>();
    if (query == null || query.isEmpty()) {
      return metadata;
    }
    for (String pair : query.split("&")) {
      int equals = pair.indexOf('=');
      if (equals <= 0) {
        throw ApiProblem.invalid("metadata", "must be key=value pairs joined by '&'");
      }
      metadata.put(
          decode(decode(pair.substring(0, equals))), decode(decode(pair.substring(equals + 1))));
    }
    return metadata;
  }

  /** E2B's {@code state} filter ({@code running}, {@code paused}); null when absent. */
  static @Nullable Set<E2bStates> states(@Nullable List<String> states) {
    if (states == null || states.isEmpty()) {
      return null;
    }
    Set<E2bStates> parsed = EnumSet.noneOf(E2bStates.class);
    for (String state : states) {
      switch (state) {
        case "running" -> parsed.add(E2bStates.RUNNING);
        case "paused" -> parsed.add(E2bStates.PAUSED);
        default -> throw ApiProblem.invalid("state", "must be 'running' or 'paused'");
      }
    }
    return parsed;
  }

  static int limit(@Nullable Integer limit) {
    int size = limit == null ? DEFAULT_LIMIT : limit;
    if (size < 1 || size > DEFAULT_LIMIT) {
      throw ApiProblem.invalid("limit", "must be between 1 and " + DEFAULT_LIMIT);
    }
    return size;
  }

  /** E2B's {@code order}: {@code desc} (newest first, the default) or {@code asc}. */
  static boolean oldestFirst(@Nullable String order) {
    if (order == null || order.equals("desc")) {
      return false;
    }
    if (order.equals("asc")) {
      return true;
    }
    throw ApiProblem.invalid("order", "must be 'asc' or 'desc'");
  }

  /**
   * Refuses what Sandbar's list cannot do rather than ignore it: it filters by neither start time
   * nor template.
   */
  static void refuseUnsupported(@Nullable String startedAfter, @Nullable String template) {
    if (startedAfter != null) {
      throw ApiProblem.invalid("startedAfter", "is not supported by Sandbar's E2B API");
    }
    if (template != null) {
      throw ApiProblem.invalid("template", "is not supported by Sandbar's E2B API");
    }
  }

  private static String decode(String encoded) {
    try {
      return URLDecoder.decode(encoded, StandardCharsets.UTF_8);
    } catch (IllegalArgumentException e) {
      throw ApiProblem.invalid("metadata", "is not validly URL-encoded");
    }
  }
}
