package dev.sandbar.api.sandbox;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.EnvironmentRules;
import dev.sandbar.api.problem.InvalidField;
import dev.sandbar.workflows.model.Healthcheck;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.RestartPolicy;
import dev.sandbar.workflows.model.SandboxSpec;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;

/**
 * Turns a create request into a complete {@link SandboxSpec}, or rejects it with every invalid
 * field at once. The limits keep a single request from asking a host for more than any host has and
 * keep what reaches Docker well-formed, so a workflow never fails on input the API accepted.
 */
final class SandboxRequestValidator {

  static final long MAX_TIMEOUT_SECONDS = 30L * 24 * 60 * 60;
  static final String DEFAULT_DATA_PATH = "/data";
  static final long DEFAULT_IDLE_TIMEOUT_SECONDS = 900;

  private static final int MAX_COMMAND_ARGS = 100;
  private static final int MAX_LABELS = 50;
  private static final int MAX_SELECTOR_LABELS = 20;
  private static final Pattern SELECTOR_VALUE =
      Pattern.compile("[A-Za-z0-9]([A-Za-z0-9._-]{0,62})");
  private static final int MAX_LABEL_VALUE = 255;
  private static final int MAX_DATA_PATH = 4096;
  private static final int MAX_ARCHIVE_ID = 128;
  private static final Pattern LABEL_KEY = Pattern.compile("[a-z0-9]([a-z0-9._-]{0,62})");
  static final String DEFAULT_NETWORK_MODE = "isolated";
  private static final List<String> NETWORK_MODES = List.of("isolated", "shared", "none", "bridge");
  private static final String USER_PART = "([a-z_][a-z0-9_.-]{0,31}|[0-9]{1,10})";
  private static final Pattern USER = Pattern.compile(USER_PART + "(:" + USER_PART + ")?");

  private SandboxRequestValidator() {}

  /**
   * @param requests the share of each limit placement reserves when the request names none
   * @param networks which network modes this deployment offers
   */
  static SandboxSpec validate(
      CreateSandboxRequest request,
      String defaultImage,
      RequestDefaults requests,
      NetworkPolicy networks) {
    List<InvalidField> errors = new ArrayList<>();

    String image = request.image() == null ? defaultImage : request.image();
    if (!ImageReference.isValid(image)) {
      errors.add(new InvalidField("image", "is not a valid image reference"));
    }

    List<String> command = request.command() == null ? List.of() : request.command();
    if (command.size() > MAX_COMMAND_ARGS) {
      errors.add(
          new InvalidField("command", "must have at most " + MAX_COMMAND_ARGS + " arguments"));
    }
    for (int i = 0; i < command.size(); i++) {
      if (command.get(i) == null) {
        errors.add(new InvalidField("command[" + i + "]", "must not be null"));
      }
    }

    Map<String, String> env = request.env() == null ? Map.of() : request.env();
    EnvironmentRules.check(env, errors);

    Map<String, String> labels = request.labels() == null ? Map.of() : request.labels();
    if (labels.size() > MAX_LABELS) {
      errors.add(new InvalidField("labels", "must have at most " + MAX_LABELS + " labels"));
    }
    labels.forEach(
        (key, value) -> {
          if (!LABEL_KEY.matcher(key).matches()) {
            errors.add(
                new InvalidField(
                    "labels." + key,
                    "key must be 1-63 lower-case letters, digits, '.', '_' or '-', starting with a"
                        + " letter or digit"));
          } else if (value == null || value.length() > MAX_LABEL_VALUE) {
            errors.add(
                new InvalidField(
                    "labels." + key, "value must be present and at most 255 characters"));
          }
        });

    CreateSandboxRequest.ResourcesRequest limits =
        request.resources() == null
            ? new CreateSandboxRequest.ResourcesRequest(null, null, null, null, null)
            : request.resources();
    double cpus = limits.cpus() == null ? Resources.DEFAULT.cpus() : limits.cpus();
    long memoryMb = limits.memoryMb() == null ? Resources.DEFAULT.memoryMb() : limits.memoryMb();
    long pids = limits.pids() == null ? Resources.DEFAULT.pids() : limits.pids();
    if (!(cpus > 0 && cpus <= 64)) {
      errors.add(new InvalidField("resources.cpus", "must be greater than 0 and at most 64"));
    }
    if (memoryMb < 16 || memoryMb > 262_144) {
      errors.add(new InvalidField("resources.memoryMb", "must be between 16 and 262144"));
    }
    if (pids < 16 || pids > 65_536) {
      errors.add(new InvalidField("resources.pids", "must be between 16 and 65536"));
    }
    Double requestCpus = limits.requestCpus();
    if (requestCpus != null && !(requestCpus > 0 && requestCpus <= cpus)) {
      errors.add(
          new InvalidField(
              "resources.requestCpus", "must be greater than 0 and at most resources.cpus"));
    }
    Long requestMemoryMb = limits.requestMemoryMb();
    if (requestMemoryMb != null && !(requestMemoryMb >= 1 && requestMemoryMb <= memoryMb)) {
      errors.add(
          new InvalidField(
              "resources.requestMemoryMb", "must be at least 1 and at most resources.memoryMb"));
    }

    List<String> hostLabels = selectorTerms(request.hostSelector(), errors);

    long idleTimeout =
        request.idleTimeoutSeconds() == null
            ? DEFAULT_IDLE_TIMEOUT_SECONDS
            : request.idleTimeoutSeconds();
    checkTimeout("idleTimeoutSeconds", idleTimeout, errors);
    long ttl = request.ttlSeconds() == null ? 0 : request.ttlSeconds();
    checkTimeout("ttlSeconds", ttl, errors);

    IdleAction idleAction = IdleAction.PAUSE;
    if (request.idleAction() != null) {
      if (request.idleAction().equals("pause") || request.idleAction().equals("stop")) {
        idleAction = IdleAction.fromWire(request.idleAction());
      } else {
        errors.add(new InvalidField("idleAction", "must be 'pause' or 'stop'"));
      }
    }

    String dataPath = request.dataPath() == null ? DEFAULT_DATA_PATH : request.dataPath();
    String dataPathProblem = dataPathProblem(dataPath);
    if (dataPathProblem != null) {
      errors.add(new InvalidField("dataPath", dataPathProblem));
    }

    String networkMode =
        request.networkMode() == null ? DEFAULT_NETWORK_MODE : request.networkMode();
    if (!NETWORK_MODES.contains(networkMode)) {
      errors.add(
          new InvalidField("networkMode", "must be 'isolated', 'shared', 'none' or 'bridge'"));
    } else if (networkMode.equals("bridge") && !networks.allowBridge()) {
      errors.add(
          new InvalidField(
              "networkMode",
              "'bridge' (Docker's default network, shared by every tenant) is not enabled on this"
                  + " deployment (SANDBAR_ALLOW_BRIDGE_NETWORK)"));
    }

    String user = request.user();
    if (user != null && !USER.matcher(user).matches()) {
      errors.add(
          new InvalidField(
              "user", "must be a user name or uid, optionally followed by ':' and a group or gid"));
    }

    String restoreFrom = request.restoreFrom();
    if (restoreFrom != null && (restoreFrom.isBlank() || restoreFrom.length() > MAX_ARCHIVE_ID)) {
      errors.add(new InvalidField("restoreFrom", "must be an archive id"));
    }

    Healthcheck healthcheck = HealthcheckRules.healthcheck(request.healthcheck(), errors);
    RestartPolicy restartPolicy = HealthcheckRules.restartPolicy(request.restartPolicy(), errors);

    if (!errors.isEmpty()) {
      throw ApiProblem.invalid(errors);
    }
    return new SandboxSpec(
        ImageReference.withDefaultTag(image),
        List.copyOf(command),
        Collections.unmodifiableMap(new TreeMap<>(env)),
        Collections.unmodifiableMap(new TreeMap<>(labels)),
        new Resources(cpus, memoryMb, pids, requestCpus, requestMemoryMb)
            .withDefaultRequests(requests.cpuFraction(), requests.memoryFraction()),
        idleTimeout,
        idleAction,
        ttl,
        dataPath,
        networkMode,
        restoreFrom,
        hostLabels,
        healthcheck,
        restartPolicy,
        Boolean.TRUE.equals(request.readOnlyRootFilesystem()),
        user);
  }

  /** The selector as the {@code key=value} terms hosts register, sorted; what placement matches. */
  private static List<String> selectorTerms(
      @Nullable Map<String, String> selector, List<InvalidField> errors) {
    if (selector == null) {
      return List.of();
    }
    if (selector.size() > MAX_SELECTOR_LABELS) {
      errors.add(
          new InvalidField("hostSelector", "must have at most " + MAX_SELECTOR_LABELS + " labels"));
    }
    List<String> terms = new ArrayList<>();
    new TreeMap<>(selector)
        .forEach(
            (key, value) -> {
              if (!LABEL_KEY.matcher(key).matches()) {
                errors.add(
                    new InvalidField(
                        "hostSelector." + key,
                        "key must be 1-63 lower-case letters, digits, '.', '_' or '-', starting"
                            + " with a letter or digit"));
              } else if (value == null || !SELECTOR_VALUE.matcher(value).matches()) {
                errors.add(
                    new InvalidField(
                        "hostSelector." + key,
                        "value must be 1-63 letters, digits, '.', '_' or '-', starting with a"
                            + " letter or digit"));
              } else {
                terms.add(key + "=" + value);
              }
            });
    return List.copyOf(terms);
  }

  private static void checkTimeout(String field, long seconds, List<InvalidField> errors) {
    if (seconds < 0 || seconds > MAX_TIMEOUT_SECONDS) {
      errors.add(
          new InvalidField(field, "must be between 0 and " + MAX_TIMEOUT_SECONDS + " (30 days)"));
    }
  }

  /**
   * Why {@code path} cannot be a data path, or null. Only absolute, already normalized paths are
   * accepted: the volume is mounted there, and a path that means something else after normalization
   * is a way to mount over the container's root.
   */
  static @Nullable String dataPathProblem(String path) {
    if (!path.startsWith("/")) {
      return "must be an absolute path";
    }
    if (path.equals("/")) {
      return "must not be the root directory";
    }
    if (path.length() > MAX_DATA_PATH || path.indexOf('\0') >= 0) {
      return "must be at most " + MAX_DATA_PATH + " characters without NUL";
    }
    for (String segment : path.substring(1).split("/", -1)) {
      if (segment.equals("..")) {
        return "must not contain '..'";
      }
      if (segment.isEmpty() || segment.equals(".")) {
        return "must be normalized (no '//', '.' segment or trailing '/')";
      }
    }
    return null;
  }
}
