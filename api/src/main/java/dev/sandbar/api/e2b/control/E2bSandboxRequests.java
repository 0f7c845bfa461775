package dev.sandbar.api.e2b.control;

import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.InvalidField;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.sandbox.CreateSandboxRequest;
import dev.sandbar.api.sandbox.ImageReference;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Component;

/**
 * Translates E2B's requests into Sandbar's: a {@code NewSandbox} becomes the native create request
 * (so the same validation, defaults, quotas and workflow apply), and E2B's {@code timeout} becomes
 * the sandbox's lifetime ({@code ttlSeconds}). What Sandbar cannot honour is a 400 naming the
 * member.
 */
@Component
class E2bSandboxRequests {

  /** E2B's default template, which stands for Sandbar's default image. */
  static final String BASE_TEMPLATE = "base";

  /** E2B's default {@code timeout} of a create that names none. */
  static final long DEFAULT_TIMEOUT_SECONDS = 15;

  /** The longest lifetime Sandbar accepts (its {@code ttlSeconds} bound, 30 days). */
  static final long MAX_TIMEOUT_SECONDS = 30L * 24 * 3600;

  private final String defaultImage;

  E2bSandboxRequests(SandbarApiProperties properties) {
    this.defaultImage = ImageReference.withDefaultTag(properties.defaultImage());
  }

  /**
   * The native create request of an E2B create: waits until the sandbox runs (E2B's create answers
   * with a sandbox ready for commands), no idle timeout (E2B has none: only the lifetime ends a
   * sandbox), the lifetime from {@code timeout}.
   */
  CreateSandboxRequest create(@Nullable E2bNewSandbox body) {
    if (body == null) {
      throw ApiProblem.of(
          ProblemType.MALFORMED,
          "request body is missing: E2B's create needs a JSON body with templateID");
    }
    List<InvalidField> errors = new ArrayList<>();
    String template = body.templateID();
    if (template == null || template.isBlank()) {
      errors.add(new InvalidField("templateID", "is required"));
    }
    long timeout = body.timeout() == null ? DEFAULT_TIMEOUT_SECONDS : body.timeout();
    checkTimeout(timeout, errors);
    unsupported(errors, "autoPause", Boolean.TRUE.equals(body.autoPause()));
    unsupported(errors, "autoPauseMemory", body.autoPauseMemory() != null);
    unsupported(errors, "autoResume", body.autoResume() != null);
    unsupported(errors, "network", body.network() != null);
    unsupported(errors, "mcp", body.mcp() != null);
    unsupported(errors, "iam", body.iam() != null);
    unsupported(
        errors, "volumeMounts", body.volumeMounts() != null && !body.volumeMounts().isEmpty());
    if (!errors.isEmpty()) {
      throw ApiProblem.invalid(errors);
    }
    return new CreateSandboxRequest(
        BASE_TEMPLATE.equals(template) ? null : template,
        null,
        body.envVars(),
        body.metadata(),
        null,
        0L,
        null,
        timeout,
        null,
        Boolean.FALSE.equals(body.allowInternetAccess()) ? "none" : null,
        null,
        true,
        null,
        null,
        null,
        null,
        null);
  }

  /** The seconds of a set-timeout or connect; 400 when absent or out of range. */
  long timeout(@Nullable E2bTimeout body, boolean required) {
    if (body == null || body.timeout() == null) {
      if (required) {
        throw ApiProblem.invalid("timeout", "is required");
      }
      return 0;
    }
    List<InvalidField> errors = new ArrayList<>();
    checkTimeout(body.timeout(), errors);
    unsupported(errors, "memory", Boolean.FALSE.equals(body.memory()));
    if (!errors.isEmpty()) {
      throw ApiProblem.invalid(errors);
    }
    return body.timeout();
  }

  /** The template E2B shows for a sandbox of {@code image}. */
  String templateOf(String image) {
    return image.equals(defaultImage) ? BASE_TEMPLATE : image;
  }

  private static void checkTimeout(long timeout, List<InvalidField> errors) {
    if (timeout < 1 || timeout > MAX_TIMEOUT_SECONDS) {
      errors.add(
          new InvalidField(
              "timeout", "must be between 1 and " + MAX_TIMEOUT_SECONDS + " seconds (30 days)"));
    }
  }

  private static void unsupported(List<InvalidField> errors, String member, boolean given) {
    if (given) {
      errors.add(new InvalidField(member, "is not supported by Sandbar's E2B API"));
    }
  }
}
