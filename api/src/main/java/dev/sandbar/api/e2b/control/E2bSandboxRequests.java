package dev.sandbar.api.e2b.control;

import dev.sandbar.api.config.SandbarApiProperties;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.InvalidField;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.sandbox.CreateSandboxRequest;
import dev.sandbar.api.sandbox.ImageReference;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
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

  /**
   * The {@code timeout} of a create that names none: five minutes, what E2B documents for its SDK
   * ("a sandbox stays alive for 5 minutes by default"; its OpenAPI document still says 15 s, which
   * would kill a sandbox before most programs have used it).
   */
  static final long DEFAULT_TIMEOUT_SECONDS = 300;

  /**
   * How long a sandbox may take to come up before its lifetime starts to count: E2B counts the
   * timeout from the moment create answers, so create sets the lifetime to the timeout plus this,
   * and once the sandbox runs, to the timeout from then on. A create slower than this is cut short
   * by the lifetime; an API instance that dies in between leaves a sandbox that lives at most this
   * much longer than asked.
   */
  static final long CREATION_ALLOWANCE_SECONDS = 600;

  /** The longest lifetime Sandbar accepts (its {@code ttlSeconds} bound, 30 days). */
  static final long MAX_TIMEOUT_SECONDS = 30L * 24 * 3600;

  /** The native create's field names that E2B's {@code NewSandbox} calls otherwise. */
  private static final Map<String, String> E2B_NAMES =
      Map.of("labels", "metadata", "env", "envVars", "image", "templateID");

  private final String defaultImage;

  E2bSandboxRequests(SandbarApiProperties properties) {
    this.defaultImage = ImageReference.withDefaultTag(properties.defaultImage());
  }

  /**
   * An E2B create: the native request, which waits until the sandbox runs (E2B's create answers
   * with a sandbox ready for commands), with no idle timeout (E2B has none: only the lifetime ends
   * a sandbox) and a lifetime covering the creation ({@link #CREATION_ALLOWANCE_SECONDS}); and the
   * timeout the lifetime is set to once the sandbox runs.
   */
  record Creation(CreateSandboxRequest request, long timeoutSeconds) {}

  Creation create(@Nullable E2bNewSandbox body) {
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
    CreateSandboxRequest request =
        new CreateSandboxRequest(
            BASE_TEMPLATE.equals(template) ? null : template,
            null,
            body.envVars(),
            body.metadata(),
            null,
            0L,
            null,
            Math.min(timeout + CREATION_ALLOWANCE_SECONDS, MAX_TIMEOUT_SECONDS),
            null,
            Boolean.FALSE.equals(body.allowInternetAccess()) ? "none" : null,
            null,
            true,
            null,
            null,
            null,
            null,
            null);
    return new Creation(request, timeout);
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

  /**
   * A native create's 400 in E2B's words: the fields it names are E2B's ({@code labels.Team}
   * becomes {@code metadata.Team}, {@code env.X} {@code envVars.X}, {@code image} {@code
   * templateID}); any other problem is returned as it is.
   */
  static ApiProblem inE2bTerms(ApiProblem problem) {
    if (problem.type() != ProblemType.VALIDATION || problem.invalidFields().isEmpty()) {
      return problem;
    }
    List<InvalidField> renamed =
        problem.invalidFields().stream()
            .map(field -> new InvalidField(e2bField(field.field()), field.message()))
            .toList();
    if (renamed.size() > 1) {
      return ApiProblem.invalid(renamed);
    }
    String original = problem.invalidFields().getFirst().field();
    String detail = problem.getMessage();
    if (detail.startsWith(original + ":")) {
      detail = renamed.getFirst().field() + detail.substring(original.length());
    }
    return ApiProblem.invalid(renamed.getFirst().field(), renamed.getFirst().message(), detail);
  }

  private static String e2bField(String field) {
    for (Map.Entry<String, String> name : E2B_NAMES.entrySet()) {
      if (field.equals(name.getKey()) || field.startsWith(name.getKey() + ".")) {
        return name.getValue() + field.substring(name.getKey().length());
      }
    }
    return field;
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
