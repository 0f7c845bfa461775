package dev.sandbar.api.sandbox;

import dev.sandbar.api.problem.InvalidField;
import dev.sandbar.workflows.model.Healthcheck;
import dev.sandbar.workflows.model.RestartPolicy;
import java.util.List;
import org.jspecify.annotations.Nullable;

/** Checks and completes a create request's {@code healthcheck} and {@code restartPolicy}. */
final class HealthcheckRules {

  static final long DEFAULT_INTERVAL_SECONDS = 10;
  static final long DEFAULT_TIMEOUT_SECONDS = 5;
  static final int DEFAULT_RETRIES = 3;

  private static final long MAX_SECONDS = 3600;
  private static final int MAX_RETRIES = 100;
  private static final int MAX_TEST_ARGS = 100;
  private static final int MAX_TEST_LENGTH = 4096;

  private HealthcheckRules() {}

  /** The spec's health check, defaults applied; null when the request has none. */
  static @Nullable Healthcheck healthcheck(
      CreateSandboxRequest.@Nullable HealthcheckRequest request, List<InvalidField> errors) {
    if (request == null) {
      return null;
    }
    List<String> test = request.test();
    if (test == null || test.isEmpty()) {
      errors.add(new InvalidField("healthcheck.test", "is required"));
    } else if (test.size() > MAX_TEST_ARGS || test.stream().anyMatch(a -> a == null)) {
      errors.add(
          new InvalidField(
              "healthcheck.test", "must hold at most " + MAX_TEST_ARGS + " non-null strings"));
    } else if (String.join(" ", test).length() > MAX_TEST_LENGTH) {
      errors.add(
          new InvalidField("healthcheck.test", "must be at most " + MAX_TEST_LENGTH + " chars"));
    } else {
      switch (test.getFirst()) {
        case "CMD", "CMD-SHELL" -> {
          if (test.size() < 2) {
            errors.add(
                new InvalidField("healthcheck.test", "names no command after " + test.getFirst()));
          }
        }
        case "NONE" -> {}
        default ->
            errors.add(
                new InvalidField(
                    "healthcheck.test", "must start with \"CMD\", \"CMD-SHELL\" or \"NONE\""));
      }
    }
    long interval =
        seconds("intervalSeconds", request.intervalSeconds(), DEFAULT_INTERVAL_SECONDS, 1, errors);
    long timeout =
        seconds("timeoutSeconds", request.timeoutSeconds(), DEFAULT_TIMEOUT_SECONDS, 1, errors);
    long startPeriod = seconds("startPeriodSeconds", request.startPeriodSeconds(), 0, 0, errors);
    int retries = request.retries() == null ? DEFAULT_RETRIES : request.retries();
    if (retries < 1 || retries > MAX_RETRIES) {
      errors.add(new InvalidField("healthcheck.retries", "must be between 1 and " + MAX_RETRIES));
    }
    return new Healthcheck(
        test == null ? List.of() : List.copyOf(test), interval, timeout, retries, startPeriod);
  }

  /**
   * {@code on-unhealthy}, or null for {@code never} (the default), so a spec that asks for nothing
   * is stored as before restart policies existed.
   */
  static @Nullable RestartPolicy restartPolicy(@Nullable String value, List<InvalidField> errors) {
    if (value == null || value.equals("never")) {
      return null;
    }
    if (value.equals("on-unhealthy")) {
      return RestartPolicy.ON_UNHEALTHY;
    }
    errors.add(new InvalidField("restartPolicy", "must be 'never' or 'on-unhealthy'"));
    return null;
  }

  private static long seconds(
      String field, @Nullable Long value, long fallback, long min, List<InvalidField> errors) {
    long seconds = value == null ? fallback : value;
    if (seconds < min || seconds > MAX_SECONDS) {
      errors.add(
          new InvalidField(
              "healthcheck." + field, "must be between " + min + " and " + MAX_SECONDS));
    }
    return seconds;
  }
}
