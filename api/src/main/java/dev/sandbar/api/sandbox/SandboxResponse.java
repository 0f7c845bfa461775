package dev.sandbar.api.sandbox;

import dev.sandbar.store.StoredJson;
import dev.sandbar.store.sandbox.SandboxRow;
import dev.sandbar.workflows.model.Health;
import dev.sandbar.workflows.model.Healthcheck;
import dev.sandbar.workflows.model.RestartPolicy;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.jspecify.annotations.Nullable;

/**
 * A sandbox as the API shows it. Built either from the read model (reads) or from the workflow's
 * answer to an operation (which is newer than the read model can be at that moment).
 *
 * @param state lower-case state name, such as {@code running}
 * @param idleAction {@code pause} or {@code stop}
 * @param error why the last operation failed, while the sandbox is in {@code error}
 * @param archiveId the archive of the last preserving destroy, if any
 * @param hostSelector the labels a host had to carry for the sandbox to be placed there
 * @param health {@code starting | healthy | unhealthy} as the container's health check last
 *     reported it (reconciliation reads it every pass); {@code none} when the sandbox is not
 *     running or has no health check. Until the first report after a (re)start: {@code starting}
 *     when the sandbox defines its own check, else {@code none}
 * @param healthcheck the sandbox's own health check, if it defines one
 * @param restartPolicy {@code never} or {@code on-unhealthy}
 */
public record SandboxResponse(
    String id,
    String state,
    @Nullable String hostId,
    String image,
    List<String> command,
    Map<String, String> env,
    Map<String, String> labels,
    ResourceLimits resources,
    Map<String, String> hostSelector,
    long idleTimeoutSeconds,
    String idleAction,
    long ttlSeconds,
    String dataPath,
    String networkMode,
    boolean readOnlyRootFilesystem,
    @Nullable String user,
    @Nullable String error,
    @Nullable String archiveId,
    Instant createdAt,
    Instant updatedAt,
    @Nullable Instant lastActivityAt,
    String health,
    @Nullable Healthcheck healthcheck,
    String restartPolicy) {

  /**
   * Container limits: CPUs (fractions allowed), memory in MiB, maximum process count; and what
   * placement reserved on the host (null for sandboxes created before requests existed).
   */
  public record ResourceLimits(
      double cpus,
      long memoryMb,
      long pids,
      @Nullable Double requestCpus,
      @Nullable Long requestMemoryMb) {}

  static SandboxResponse of(SandboxRow row) {
    SandboxSpec spec = StoredJson.read(row.spec(), SandboxSpec.class);
    return of(
        row.id(),
        row.state(),
        row.hostId(),
        spec,
        row.error(),
        row.archiveId(),
        row.createdAt(),
        row.updatedAt(),
        row.lastActivityAt(),
        row.health());
  }

  static SandboxResponse of(SandboxView view) {
    return of(
        view.sandboxId(),
        view.state().wire(),
        view.hostId(),
        view.spec(),
        view.error(),
        view.archiveId(),
        Instant.ofEpochMilli(view.createdAtMs()),
        Instant.ofEpochMilli(view.updatedAtMs()),
        view.lastActivityAtMs() == 0 ? null : Instant.ofEpochMilli(view.lastActivityAtMs()),
        null);
  }

  private static SandboxResponse of(
      String id,
      String state,
      @Nullable String hostId,
      SandboxSpec spec,
      @Nullable String error,
      @Nullable String archiveId,
      Instant createdAt,
      Instant updatedAt,
      @Nullable Instant lastActivityAt,
      @Nullable String reportedHealth) {
    return new SandboxResponse(
        id,
        state,
        hostId,
        spec.image(),
        spec.command() == null ? List.of() : spec.command(),
        spec.env() == null ? Map.of() : spec.env(),
        spec.labels() == null ? Map.of() : spec.labels(),
        new ResourceLimits(
            spec.resources().cpus(),
            spec.resources().memoryMb(),
            spec.resources().pids(),
            spec.resources().requestCpus(),
            spec.resources().requestMemoryMb()),
        selector(spec.hostLabels()),
        spec.idleTimeoutSeconds(),
        spec.idleAction().wire(),
        spec.ttlSeconds(),
        spec.dataPath(),
        spec.networkMode(),
        spec.readOnlyRootFilesystem(),
        spec.user(),
        error,
        archiveId,
        createdAt,
        updatedAt,
        lastActivityAt,
        health(state, reportedHealth, spec),
        spec.healthcheck(),
        (spec.restartPolicy() == null ? RestartPolicy.NEVER : spec.restartPolicy()).wire());
  }

  /** What {@code health} shows; see the record's documentation. */
  private static String health(String state, @Nullable String reported, SandboxSpec spec) {
    if (!SandboxState.RUNNING.wire().equals(state)) {
      return Health.NONE.wire();
    }
    if (reported != null) {
      return reported;
    }
    boolean ownCheck =
        spec.healthcheck() != null
            && !spec.healthcheck().test().isEmpty()
            && !"NONE".equals(spec.healthcheck().test().getFirst());
    return (ownCheck ? Health.STARTING : Health.NONE).wire();
  }

  /** The {@code key=value} terms placement matched, back as the selector the client sent. */
  private static Map<String, String> selector(@Nullable List<String> hostLabels) {
    Map<String, String> selector = new TreeMap<>();
    if (hostLabels != null) {
      for (String term : hostLabels) {
        int equals = term.indexOf('=');
        if (equals > 0) {
          selector.put(term.substring(0, equals), term.substring(equals + 1));
        }
      }
    }
    return selector;
  }
}
