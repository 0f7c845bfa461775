package dev.sandbar.workflows.reconcile;

import static dev.sandbar.workflows.model.SandboxState.MISSING;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.reconcile.ReconcileHarness.DEAD_HOST;
import static dev.sandbar.workflows.reconcile.ReconcileHarness.container;
import static dev.sandbar.workflows.testing.TemporalHarness.HOST_ID;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.model.ReconcileTarget;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays a saved run of the reconciliation cron (a dead host, a sandbox whose container exited, a
 * zombie) against the current code, so a change that would break the running cron fails the build.
 *
 * <p>After an intended, versioned change, regenerate it with {@code ./mvnw -pl workflows test
 * -Dtest=HostReconcileReplayTest -Dsandbar.regenerateHistories=true} and commit it.
 */
class HostReconcileReplayTest {

  static final String RESOURCE = "histories/host-reconcile.json";
  private static final String REGENERATE = "sandbar.regenerateHistories";

  @Test
  void theSavedReconcileHistoryReplaysWithTheCurrentCode() throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(savedHistory());
    assertThat(activityTypes(history.getEvents()))
        .contains(
            "ReconcileTargets",
            "SandboxesOn",
            "ListSandboxContainers",
            "MarkHostUnreachable",
            "SandboxesByIds",
            "RemoveContainer",
            "RecordSystemEvent",
            "RecordUnclaimed");
    assertThat(history.getEvents())
        .anyMatch(HistoryEvent::hasSignalExternalWorkflowExecutionInitiatedEventAttributes);
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();

    WorkflowReplayer.replayWorkflowExecutionFromResource(RESOURCE, HostReconcileWorkflowImpl.class);
  }

  @Test
  void aFreshRunReplaysAndIsSavedWhenRegenerating() throws Exception {
    WorkflowExecutionHistory history;
    try (ReconcileHarness harness = new ReconcileHarness()) {
      harness.targets =
          List.of(
              new ReconcileTarget(HOST_ID, ReconcileTarget.ONLINE),
              new ReconcileTarget(DEAD_HOST, ReconcileTarget.ONLINE));
      SandboxWorkflow dead = harness.sandbox("sbx-dead", RUNNING, DEAD_HOST);
      SandboxWorkflow exited = harness.sandbox("sbx-exited", RUNNING, HOST_ID);
      harness.destroyedRow("sbx-zombie", HOST_ID);
      harness.hostHas(
          List.of(
              container("sbx-exited", ContainerStatus.EXITED, 137),
              container("sbx-zombie", ContainerStatus.RUNNING, null)),
          List.of("sbx-exited", "sbx-zombie"),
          0);
      assertThat(harness.runOnce(ReconcileSettings.DEFAULTS).passes()).isEqualTo(4);
      harness.awaitState(dead, MISSING);
      harness.awaitState(exited, STOPPED);
      history = harness.client.fetchHistory(HostReconcileWorkflow.WORKFLOW_ID);
    }

    WorkflowReplayer.replayWorkflowExecution(history, HostReconcileWorkflowImpl.class);

    if (Boolean.getBoolean(REGENERATE)) {
      Path source = Path.of("src/test/resources").resolve(RESOURCE);
      Files.createDirectories(source.getParent());
      Files.writeString(source, history.toJson(true) + "\n", StandardCharsets.UTF_8);
    }
  }

  private static List<String> activityTypes(List<HistoryEvent> events) {
    return events.stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .distinct()
        .toList();
  }

  private static String savedHistory() throws IOException {
    try (InputStream in =
        HostReconcileReplayTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      assertThat(in)
          .as("%s is missing; run with -D%s=true to write it", RESOURCE, REGENERATE)
          .isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
