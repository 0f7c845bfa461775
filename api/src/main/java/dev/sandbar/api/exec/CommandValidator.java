package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.EnvironmentRules;
import dev.sandbar.api.problem.InvalidField;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a command request into a {@link CommandPlan}, or rejects it with every invalid field at
 * once. The limits keep what reaches {@code docker exec} well-formed (no NUL, arguments far below
 * the kernel's limit) and keep a foreground request from holding an HTTP connection for long.
 */
final class CommandValidator {

  static final int MAX_COMMAND_BYTES = 64 * 1024;
  static final long DEFAULT_TIMEOUT_SECONDS = 30;
  static final long MAX_FOREGROUND_SECONDS = 600;
  static final int MAX_SESSION_ID = 128;

  private static final int MAX_CWD = 4096;
  private static final int MAX_DESCRIPTION = 1024;
  private static final Pattern SESSION_ID = Pattern.compile("[A-Za-z0-9._:-]+");

  private CommandValidator() {}

  static CommandPlan validate(RunCommandRequest request, long backgroundLimitSeconds) {
    List<InvalidField> errors = new ArrayList<>();

    String command = request.command();
    if (command == null || command.isBlank()) {
      errors.add(new InvalidField("command", "must not be empty"));
    } else if (command.getBytes(StandardCharsets.UTF_8).length > MAX_COMMAND_BYTES) {
      errors.add(new InvalidField("command", "must be at most 64 KiB"));
    } else if (command.indexOf('\0') >= 0) {
      errors.add(new InvalidField("command", "must not contain NUL"));
    }

    String cwd = request.cwd();
    if (cwd != null) {
      if (!cwd.startsWith("/")) {
        errors.add(new InvalidField("cwd", "must be an absolute path"));
      } else if (cwd.length() > MAX_CWD || cwd.indexOf('\0') >= 0) {
        errors.add(
            new InvalidField("cwd", "must be at most " + MAX_CWD + " characters without NUL"));
      }
    }

    Map<String, String> env = request.env() == null ? Map.of() : request.env();
    EnvironmentRules.check(env, errors);

    String sessionId = request.sessionId();
    if (sessionId != null && !isSessionId(sessionId)) {
      errors.add(new InvalidField("sessionId", sessionIdRule()));
    }

    String description = request.description();
    if (description != null && description.length() > MAX_DESCRIPTION) {
      errors.add(
          new InvalidField("description", "must be at most " + MAX_DESCRIPTION + " characters"));
    }

    boolean background = Boolean.TRUE.equals(request.background());
    Long backgroundAfter = request.backgroundAfterSeconds();
    if (background && backgroundAfter != null) {
      errors.add(
          new InvalidField(
              "backgroundAfterSeconds", "only applies to a command that is not background"));
    }
    // A command that may end up in the background gets the background limit.
    boolean mayGoBackground = background || backgroundAfter != null;
    long maxTimeout = mayGoBackground ? backgroundLimitSeconds : MAX_FOREGROUND_SECONDS;
    long timeout =
        request.timeoutSeconds() != null
            ? request.timeoutSeconds()
            : mayGoBackground ? backgroundLimitSeconds : DEFAULT_TIMEOUT_SECONDS;
    if (timeout < 1 || timeout > maxTimeout) {
      errors.add(
          new InvalidField(
              "timeoutSeconds",
              mayGoBackground
                  ? "must be between 1 and " + maxTimeout
                  : "must be between 1 and "
                      + maxTimeout
                      + " (up to "
                      + backgroundLimitSeconds
                      + " for a background command)"));
    }
    if (backgroundAfter != null && !background) {
      if (backgroundAfter < 1) {
        errors.add(new InvalidField("backgroundAfterSeconds", "must be at least 1"));
      } else if (backgroundAfter > MAX_FOREGROUND_SECONDS) {
        errors.add(
            new InvalidField(
                "backgroundAfterSeconds", "must be at most " + MAX_FOREGROUND_SECONDS));
      } else if (backgroundAfter >= timeout) {
        errors.add(
            new InvalidField(
                "backgroundAfterSeconds",
                "must be less than the command's timeout (" + timeout + "s)"));
      }
    }

    if (!errors.isEmpty()) {
      throw ApiProblem.invalid(errors);
    }
    return new CommandPlan(
        command,
        cwd,
        Collections.unmodifiableMap(new TreeMap<>(env)),
        timeout,
        sessionId,
        description,
        background,
        backgroundAfter,
        Boolean.TRUE.equals(request.stdin()));
  }

  static boolean isSessionId(String sessionId) {
    return sessionId.length() <= MAX_SESSION_ID && SESSION_ID.matcher(sessionId).matches();
  }

  static String sessionIdRule() {
    return "must be 1-" + MAX_SESSION_ID + " characters of A-Z, a-z, 0-9, '.', '_', ':' or '-'";
  }

  /** '' is "no session", the value stored for commands run without one. */
  static String sessionOrEmpty(@Nullable String sessionId) {
    if (sessionId == null || sessionId.isEmpty()) {
      return "";
    }
    if (!isSessionId(sessionId)) {
      throw ApiProblem.invalid("sessionId", sessionIdRule());
    }
    return sessionId;
  }
}
