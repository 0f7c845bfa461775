package dev.sandbar.api.openapi;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.Health;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.RestartPolicy;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.TaskStatus;
import dev.sandbar.workflows.model.TransitionAction;
import dev.sandbar.workflows.model.TransitionOutcome;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * The string fields and query parameters whose values come from a fixed set, and the enum that sets
 * them. The API carries them as strings (the records mirror the read model), so the document learns
 * their values here; each value is written as the API writes it, through the enum's {@code wire()}.
 * A new field of one of these kinds gets its line here.
 */
final class WireEnums {

  /** {@code Schema.property} of the response and request records. */
  private static final Map<String, Class<? extends Enum<?>>> PROPERTIES =
      Map.ofEntries(
          Map.entry("SandboxResponse.state", SandboxState.class),
          Map.entry("SandboxResponse.idleAction", IdleAction.class),
          Map.entry("SandboxResponse.health", Health.class),
          Map.entry("SandboxResponse.restartPolicy", RestartPolicy.class),
          Map.entry("CreateSandboxRequest.idleAction", IdleAction.class),
          Map.entry("CreateSandboxRequest.restartPolicy", RestartPolicy.class),
          Map.entry("SandboxMetricsResponse.state", SandboxState.class),
          Map.entry("SandboxEvent.actor", Actor.class),
          Map.entry("SandboxEvent.action", TransitionAction.class),
          Map.entry("SandboxEvent.fromState", SandboxState.class),
          Map.entry("SandboxEvent.toState", SandboxState.class),
          Map.entry("SandboxEvent.outcome", TransitionOutcome.class),
          Map.entry("TaskResponse.status", TaskStatus.class),
          Map.entry("CommandResult.status", TaskStatus.class),
          Map.entry("NotificationResponse.status", TaskStatus.class));

  /** {@code Controller#method.parameter} of query parameters. */
  private static final Map<String, Class<? extends Enum<?>>> PARAMETERS =
      Map.of(
          "SandboxController#list.state", SandboxState.class,
          "ExecController#list.status", TaskStatus.class);

  private WireEnums() {}

  static Optional<List<String>> property(String schema, String property) {
    return Optional.ofNullable(PROPERTIES.get(schema + "." + property)).map(WireEnums::values);
  }

  static Optional<List<String>> parameter(String controller, String method, String parameter) {
    return Optional.ofNullable(PARAMETERS.get(controller + "#" + method + "." + parameter))
        .map(WireEnums::values);
  }

  private static List<String> values(Class<? extends Enum<?>> type) {
    return Arrays.stream(type.getEnumConstants()).map(WireEnums::wire).toList();
  }

  private static String wire(Enum<?> constant) {
    try {
      return (String) constant.getClass().getMethod("wire").invoke(constant);
    } catch (ReflectiveOperationException e) {
      return constant.name().toLowerCase(Locale.ROOT);
    }
  }
}
