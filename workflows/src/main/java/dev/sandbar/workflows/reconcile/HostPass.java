package dev.sandbar.workflows.reconcile;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.MISSING;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.activity.ReconcileStoreActivities;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.Health;
import dev.sandbar.workflows.model.HostListing;
import dev.sandbar.workflows.model.KnownSandbox;
import dev.sandbar.workflows.model.ListedContainer;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.model.ReconcileSummary;
import dev.sandbar.workflows.model.ReconcileTarget;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SystemEvent;
import dev.sandbar.workflows.model.UnclaimedReport;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.TimeoutFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Promise;
import io.temporal.workflow.Workflow;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.slf4j.Logger;

/**
 * One host in one pass: what the reconciliation decides from the read model and the host's listing.
 * It only reports to sandbox workflows; whether a report changes a sandbox is the workflow's
 * decision (see {@link Observation#basedOnSeq}).
 *
 * <table>
 *   <caption>What a sandbox is told</caption>
 *   <tr><th>the host</th><th>its container</th><th>report</th></tr>
 *   <tr><td>listing timed out</td><td>-</td><td>{@code missing} (to running and paused ones)</td></tr>
 *   <tr><td>answered</td><td>running / paused</td><td>{@code running} / {@code paused}</td></tr>
 *   <tr><td>answered</td><td>exited or created</td><td>{@code stopped}, with the exit code</td></tr>
 *   <tr><td>answered</td><td>absent, data volume kept</td><td>{@code stopped}</td></tr>
 *   <tr><td>answered</td><td>absent, no data volume</td><td>{@code error} (lost)</td></tr>
 * </table>
 *
 * <p>A report is only sent when it differs from the read model, and only for sandboxes at rest
 * (running, paused, stopped, missing): an operation in flight is left to its own activity timeouts,
 * and an error is the user's to clear.
 */
final class HostPass {

  private static final Logger log = Workflow.getLogger(HostPass.class);

  /** Read-model states a report is sent for. */
  private static final Set<SandboxState> REPORTED = EnumSet.of(RUNNING, PAUSED, STOPPED, MISSING);

  /** Version marker: passes report a running container's health when it changes. */
  static final String HEALTH_CHANGE = "reconcile-health";

  private final ReconcileTarget target;
  private final ReconcileSettings settings;
  private final ReconcileStoreActivities store;

  HostPass(ReconcileTarget target, ReconcileSettings settings, ReconcileStoreActivities store) {
    this.target = target;
    this.settings = settings;
    this.store = store;
  }

  /** The listing was not picked up or not answered in time: the host is unreachable. */
  ReconcileSummary unreachable(List<KnownSandbox> known, TimeoutFailure timeout) {
    String why =
        "listing not answered within its "
            + timeout
                .getTimeoutType()
                .name()
                .replaceFirst("^TIMEOUT_TYPE_", "")
                .toLowerCase(Locale.ROOT)
            + " timeout";
    int marked = 0;
    if (!target.unreachable()) {
      boolean changed =
          store.markHostUnreachable(
              hostEvent(SystemEvent.HOST_UNREACHABLE, "host " + target.hostId() + ": " + why));
      marked = changed ? 1 : 0;
    }
    List<Promise<Void>> reports = new ArrayList<>();
    for (KnownSandbox sandbox : known) {
      if (sandbox.state() == RUNNING || sandbox.state() == PAUSED) {
        reports.add(
            report(
                sandbox,
                new Observation(
                    MISSING,
                    target.hostId(),
                    null,
                    "host " + target.hostId() + " unreachable: " + why,
                    sandbox.seq())));
      }
    }
    awaitAll(reports);
    return new ReconcileSummary(0, reports.size(), marked, 0, 0);
  }

  /** The host answered: report each sandbox's container, remove zombies and old orphans. */
  ReconcileSummary reachable(List<KnownSandbox> known, HostListing listing) {
    if (target.unreachable()) {
      store.markHostReachable(
          hostEvent(SystemEvent.HOST_REACHABLE, "host " + target.hostId() + " answers again"));
    }
    Map<String, ListedContainer> containers =
        listing.containers().stream()
            .collect(
                Collectors.toMap(
                    ListedContainer::sandboxId,
                    Function.identity(),
                    (first, second) -> first,
                    LinkedHashMap::new));
    Set<String> volumes = new HashSet<>(listing.volumeSandboxIds());
    boolean reportsHealth =
        Workflow.getVersion(HEALTH_CHANGE, Workflow.DEFAULT_VERSION, 1) != Workflow.DEFAULT_VERSION;
    List<Promise<Void>> reports = new ArrayList<>();
    Set<String> knownIds = new HashSet<>();
    for (KnownSandbox sandbox : known) {
      knownIds.add(sandbox.id());
      if (!REPORTED.contains(sandbox.state())) {
        continue;
      }
      ListedContainer container = containers.get(sandbox.id());
      Observation observation = observe(sandbox, container, volumes.contains(sandbox.id()));
      if (observation.state() != sandbox.state()) {
        reports.add(report(sandbox, observation));
      } else if (reportsHealth && healthChanged(sandbox, container)) {
        reports.add(report(sandbox, withHealth(observation, container.health())));
      }
    }
    awaitAll(reports);
    List<ListedContainer> strangers =
        containers.values().stream().filter(c -> !knownIds.contains(c.sandboxId())).toList();
    List<UnclaimedReport> unclaimed = new ArrayList<>();
    int removed = strangers.isEmpty() ? 0 : judgeStrangers(strangers, volumes, listing, unclaimed);
    store.recordUnclaimed(target.hostId(), unclaimed);
    return new ReconcileSummary(0, reports.size(), 0, removed, unclaimed.size());
  }

  /**
   * Containers whose sandbox the read model does not place on this host: zombies are removed,
   * unclaimed ones without a volume removed once old enough, the rest added to {@code unclaimed}.
   * Returns how many were removed.
   */
  private int judgeStrangers(
      List<ListedContainer> strangers,
      Set<String> volumes,
      HostListing listing,
      List<UnclaimedReport> unclaimed) {
    Map<String, KnownSandbox> elsewhere =
        store.sandboxesByIds(strangers.stream().map(ListedContainer::sandboxId).toList()).stream()
            .collect(Collectors.toMap(KnownSandbox::id, Function.identity(), (a, b) -> a));
    int removed = 0;
    for (ListedContainer container : strangers) {
      KnownSandbox row = elsewhere.get(container.sandboxId());
      if (row != null && row.state() == DESTROYED) {
        removed += remove(container, row, SystemEvent.REMOVE_ZOMBIE, zombieReason(container));
      } else if (row != null) {
        // Known, but placed on another host (moved): not this pass's to judge.
        log.info(
            "container {} of sandbox {} on host {}; the sandbox is {} on host {}",
            container.containerId(),
            row.id(),
            target.hostId(),
            row.state().wire(),
            row.hostId());
      } else if (volumes.contains(container.sandboxId())) {
        unclaimed.add(new UnclaimedReport(container.containerId(), container.sandboxId(), true));
        log.warn(
            "unclaimed container {} (sandbox {}) on host {} has a data volume: never removed",
            container.containerId(),
            container.sandboxId(),
            target.hostId());
      } else if (listing.listedAtMs() - container.createdAtMs()
          >= settings.unclaimedSafetySeconds() * 1000) {
        removed +=
            remove(
                container,
                null,
                SystemEvent.REMOVE_UNCLAIMED,
                "unclaimed container "
                    + container.containerId()
                    + " of unknown sandbox "
                    + container.sandboxId()
                    + ", without a data volume, older than "
                    + settings.unclaimedSafetySeconds()
                    + "s");
      } else {
        unclaimed.add(new UnclaimedReport(container.containerId(), container.sandboxId(), false));
      }
    }
    return removed;
  }

  /**
   * Whether a running sandbox's container reports another health than the read model recorded since
   * its last transition (none recorded counts as {@code none}, so a container without a health
   * check is never reported).
   */
  private static boolean healthChanged(KnownSandbox sandbox, ListedContainer container) {
    if (sandbox.state() != RUNNING || container == null || container.health() == null) {
      return false;
    }
    Health recorded = sandbox.health() == null ? Health.NONE : sandbox.health();
    return container.health() != recorded;
  }

  private static Observation withHealth(Observation observation, Health health) {
    return new Observation(
        observation.state(),
        observation.hostId(),
        observation.containerId(),
        "host " + observation.hostId() + " reports the container " + health.wire(),
        observation.basedOnSeq(),
        health);
  }

  /** What the host's listing says about one sandbox. */
  private Observation observe(KnownSandbox sandbox, ListedContainer container, boolean volume) {
    String host = target.hostId();
    if (container == null) {
      return volume
          ? new Observation(
              STOPPED,
              host,
              null,
              "container gone from host " + host + ", data volume kept",
              sandbox.seq())
          : new Observation(
              ERROR,
              host,
              null,
              "lost: container and data volume gone from host " + host,
              sandbox.seq());
    }
    return switch (container.status()) {
      case RUNNING ->
          new Observation(
              RUNNING,
              host,
              container.containerId(),
              "host " + host + " reports the container running",
              sandbox.seq());
      case PAUSED ->
          new Observation(
              PAUSED,
              host,
              container.containerId(),
              "host " + host + " reports the container paused",
              sandbox.seq());
      case EXITED, CREATED, ABSENT ->
          new Observation(
              STOPPED,
              host,
              container.containerId(),
              container.exitCode() == null
                  ? "container not running on host " + host
                  : "container exited with code " + container.exitCode(),
              sandbox.seq());
    };
  }

  private Promise<Void> report(KnownSandbox sandbox, Observation observation) {
    SandboxWorkflow workflow =
        Workflow.newExternalWorkflowStub(SandboxWorkflow.class, WorkflowIds.sandbox(sandbox.id()));
    return Async.procedure(workflow::observed, observation)
        .exceptionally(
            failure -> {
              // No workflow (gone after a total loss): start-up recovery restarts it.
              log.warn("could not tell sandbox {}: {}", sandbox.id(), failure.toString());
              return null;
            });
  }

  private int remove(ListedContainer container, KnownSandbox row, String action, String reason) {
    HostActivities host =
        Workflow.newActivityStub(
            HostActivities.class, ActivityOptionsCatalog.containerCalls(target.hostId()));
    try {
      host.removeContainer(new ContainerRef(container.sandboxId()));
    } catch (ActivityFailure failure) {
      log.warn(
          "could not remove container {} from host {}: {}",
          container.containerId(),
          target.hostId(),
          failure.getCause());
      return 0;
    }
    store.recordSystemEvent(
        new SystemEvent(
            Workflow.randomUUID().toString(),
            target.hostId(),
            container.sandboxId(),
            row == null ? null : row.tenantId(),
            row == null ? null : row.seq(),
            action,
            reason,
            Workflow.currentTimeMillis()));
    return 1;
  }

  private static String zombieReason(ListedContainer container) {
    return "zombie container "
        + container.containerId()
        + " of destroyed sandbox "
        + container.sandboxId()
        + " removed";
  }

  private SystemEvent hostEvent(String action, String reason) {
    return new SystemEvent(
        Workflow.randomUUID().toString(),
        target.hostId(),
        null,
        null,
        null,
        action,
        reason,
        Workflow.currentTimeMillis());
  }

  private static void awaitAll(List<Promise<Void>> promises) {
    if (!promises.isEmpty()) {
      Promise.allOf(promises).get();
    }
  }
}
