package dev.sandbar.workflows.reconcile;

import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.MISSING;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.reconcile.ReconcileHarness.DEAD_HOST;
import static dev.sandbar.workflows.reconcile.ReconcileHarness.container;
import static dev.sandbar.workflows.testing.TemporalHarness.HOST_ID;
import static dev.sandbar.workflows.testing.TemporalHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.Health;
import dev.sandbar.workflows.model.ListedContainer;
import dev.sandbar.workflows.model.ReconcilePassReport;
import dev.sandbar.workflows.model.ReconcileSettings;
import dev.sandbar.workflows.model.ReconcileSummary;
import dev.sandbar.workflows.model.ReconcileTarget;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SystemEvent;
import dev.sandbar.workflows.model.UnclaimedReport;
import dev.sandbar.workflows.sandbox.SandboxWorkflow;
import io.temporal.client.WorkflowClient;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/**
 * The reconciliation cron's decision table, row by row, with real sandbox workflows deciding on
 * what they are told and every activity mocked (time-skipping).
 */
class HostReconcileWorkflowTest {

  private final ReconcileHarness harness = new ReconcileHarness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void aRunMakesAPassEveryPeriodUntilItsMinuteEnds() {
    ReconcileSummary summary = harness.runOnce(ReconcileSettings.DEFAULTS);

    // Passes at 0, 15, 30 and 45 s; a fifth would reach into the next cron run.
    assertThat(summary.passes()).isEqualTo(4);
    assertThat(harness.passStartedAtMs).hasSize(4);
    assertThat(harness.passStartedAtMs.get(1) - harness.passStartedAtMs.get(0))
        .isGreaterThanOrEqualTo(14_000);
    assertThat(harness.runOnce(new ReconcileSettings(20, 600)).passes()).isEqualTo(3);
  }

  @Test
  void aRunningSandboxWhoseContainerTurnsUnhealthyIsToldAndRecordsIt() {
    SandboxWorkflow sick = harness.sandbox("sbx-sick", RUNNING, HOST_ID);
    SandboxWorkflow plain = harness.sandbox("sbx-plain", RUNNING, HOST_ID);
    harness.hostHas(
        List.of(
            new ListedContainer(
                "sbx-sick", null, "c-sick", ContainerStatus.RUNNING, null, 0, Health.UNHEALTHY),
            new ListedContainer(
                "sbx-plain", null, "c-plain", ContainerStatus.RUNNING, null, 0, Health.NONE)),
        List.of("sbx-sick", "sbx-plain"),
        0);

    harness.runOnce(ReconcileSettings.DEFAULTS);

    verify(harness.healthStore, atLeastOnce())
        .recordHealth(
            argThat(h -> h.sandboxId().equals("sbx-sick") && h.health() == Health.UNHEALTHY));
    // No health check, nothing recorded: a container without one is never reported.
    verify(harness.healthStore, never())
        .recordHealth(argThat(h -> h.sandboxId().equals("sbx-plain")));
    assertThat(sick.describe().state()).isEqualTo(RUNNING);
    assertThat(plain.describe().state()).isEqualTo(RUNNING);
  }

  @Test
  void eachPassHandsItsFiguresToTheWorkersMetrics() {
    SandboxWorkflow gone = harness.sandbox("sbx-gone", RUNNING, HOST_ID);
    harness.hostHas(List.of(), List.of("sbx-gone"), 0);

    ReconcileSummary summary = harness.runOnce(ReconcileSettings.DEFAULTS);

    harness.awaitState(gone, STOPPED);
    ArgumentCaptor<ReconcilePassReport> passes = ArgumentCaptor.forClass(ReconcilePassReport.class);
    verify(harness.metrics, times(summary.passes())).recordReconcilePass(passes.capture());
    assertThat(passes.getAllValues()).allSatisfy(p -> assertThat(p.durationMs()).isNotNegative());
    assertThat(passes.getAllValues().stream().mapToInt(p -> p.summary().reports()).sum())
        .isEqualTo(summary.reports())
        .isPositive();
  }

  @Test
  void aHostWhoseListingIsNotPickedUpIsUnreachableAndItsLiveSandboxesMissing() {
    SandboxWorkflow running = harness.sandbox("sbx-run", RUNNING, DEAD_HOST);
    SandboxWorkflow paused = harness.sandbox("sbx-paused", PAUSED, DEAD_HOST);
    SandboxWorkflow stopped = harness.sandbox("sbx-stopped", STOPPED, DEAD_HOST);
    harness.targets = List.of(new ReconcileTarget(DEAD_HOST, ReconcileTarget.ONLINE));

    // Two passes (0 and 30 s): the test service waits out the pickup timeout in real time.
    ReconcileSummary summary = harness.runOnce(new ReconcileSettings(30, 600));

    harness.awaitState(running, MISSING);
    harness.awaitState(paused, MISSING);
    assertThat(stopped.describe().state()).isEqualTo(STOPPED);
    assertThat(summary.hostsMarkedUnreachable()).isPositive();
    SystemEvent marked = harness.events.getFirst();
    assertThat(marked.action()).isEqualTo(SystemEvent.HOST_UNREACHABLE);
    assertThat(marked.hostId()).isEqualTo(DEAD_HOST);
    assertThat(marked.reason()).contains("schedule_to_start");
    // Detected by the listing's own timeout: within 30 s of the pass that asked.
    long detectedAfter = marked.atMs() - harness.passStartedAtMs.getFirst();
    assertThat(detectedAfter)
        .isLessThanOrEqualTo(ActivityOptionsCatalog.HOST_LISTING_PICKUP_TIMEOUT.toMillis() + 1000);
    assertThat(
            ActivityOptionsCatalog.HOST_LISTING_PICKUP_TIMEOUT.plus(
                Duration.ofSeconds(ReconcileSettings.DEFAULT_PASS_SECONDS)))
        .isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(
            ActivityOptionsCatalog.HOST_LISTING_CALL_TIMEOUT.plus(
                Duration.ofSeconds(ReconcileSettings.DEFAULT_PASS_SECONDS)))
        .isLessThanOrEqualTo(Duration.ofSeconds(30));
    assertThat(harness.row("sbx-run").state()).isEqualTo(MISSING);
  }

  @Test
  void aMissingSandboxThatIsAliveReturnsToWhatTheHostReports() {
    SandboxWorkflow wasRunning = harness.sandbox("sbx-a", MISSING, HOST_ID);
    SandboxWorkflow wasPaused = harness.sandbox("sbx-b", MISSING, HOST_ID);
    harness.hostHas(
        List.of(
            container("sbx-a", ContainerStatus.RUNNING, null),
            container("sbx-b", ContainerStatus.PAUSED, null)),
        List.of("sbx-a", "sbx-b"),
        0);

    harness.runOnce(ReconcileSettings.DEFAULTS);

    harness.awaitState(wasRunning, RUNNING);
    harness.awaitState(wasPaused, PAUSED);
    assertThat(harness.row("sbx-a").state()).isEqualTo(RUNNING);
  }

  @Test
  void aMissingSandboxThatIsAbsentIsStoppedWhenItsVolumeSurvivesAndLostWhenNothingDoes() {
    SandboxWorkflow kept = harness.sandbox("sbx-kept", MISSING, HOST_ID);
    SandboxWorkflow lost = harness.sandbox("sbx-lost", MISSING, HOST_ID);
    harness.hostHas(List.of(), List.of("sbx-kept"), 0);

    harness.runOnce(ReconcileSettings.DEFAULTS);

    harness.awaitState(kept, STOPPED);
    harness.awaitState(lost, ERROR);
    assertThat(lost.describe().error()).contains("lost").contains(HOST_ID);
  }

  @Test
  void aRunningSandboxWhoseContainerExitedIsStoppedWithTheExitReason() {
    SandboxWorkflow sandbox = harness.sandbox("sbx-exit", RUNNING, HOST_ID);
    harness.hostHas(
        List.of(container("sbx-exit", ContainerStatus.EXITED, 137)), List.of("sbx-exit"), 0);

    harness.runOnce(ReconcileSettings.DEFAULTS);

    harness.awaitState(sandbox, STOPPED);
    verify(harness.host, never()).stopContainer(any());
  }

  @Test
  void aRunningSandboxWhoseContainerIsGoneIsStoppedOrLost() {
    SandboxWorkflow kept = harness.sandbox("sbx-kept", RUNNING, HOST_ID);
    SandboxWorkflow lost = harness.sandbox("sbx-lost", PAUSED, HOST_ID);
    harness.hostHas(List.of(), List.of("sbx-kept"), 0);

    harness.runOnce(ReconcileSettings.DEFAULTS);

    harness.awaitState(kept, STOPPED);
    harness.awaitState(lost, ERROR);
  }

  @Test
  void aSandboxThatMatchesItsHostIsNotTold() {
    SandboxWorkflow sandbox = harness.sandbox("sbx-ok", RUNNING, HOST_ID);
    harness.hostHas(
        List.of(container("sbx-ok", ContainerStatus.RUNNING, null)), List.of("sbx-ok"), 0);

    ReconcileSummary summary = harness.runOnce(ReconcileSettings.DEFAULTS);

    assertThat(summary.reports()).isZero();
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
  }

  @Test
  void aSandboxInErrorOrWithAnOperationInFlightIsLeftAlone() {
    SandboxWorkflow failed = harness.sandbox("sbx-error", ERROR, HOST_ID);
    SandboxWorkflow stopping = harness.sandbox("sbx-stopping", SandboxState.STOPPING, HOST_ID);
    harness.hostHas(
        List.of(
            container("sbx-error", ContainerStatus.RUNNING, null),
            container("sbx-stopping", ContainerStatus.RUNNING, null)),
        List.of(),
        0);

    ReconcileSummary summary = harness.runOnce(ReconcileSettings.DEFAULTS);

    assertThat(summary.reports()).isZero();
    assertThat(failed.describe().state()).isEqualTo(ERROR);
    assertThat(stopping.describe().state()).isEqualTo(SandboxState.STOPPING);
    verify(harness.host, never()).removeContainer(any());
  }

  @Test
  void aZombieIsRemovedWithAnAuditEvent() {
    harness.destroyedRow("sbx-zombie", HOST_ID);
    harness.hostHas(
        List.of(container("sbx-zombie", ContainerStatus.RUNNING, null)), List.of("sbx-zombie"), 0);

    ReconcileSummary summary = harness.runOnce(ReconcileSettings.DEFAULTS);

    verify(harness.host, atLeastOnce()).removeContainer(new ContainerRef("sbx-zombie"));
    assertThat(summary.removed()).isPositive();
    SystemEvent removed =
        harness.events.stream()
            .filter(e -> e.action().equals(SystemEvent.REMOVE_ZOMBIE))
            .findFirst()
            .orElseThrow();
    assertThat(removed.sandboxId()).isEqualTo("sbx-zombie");
    assertThat(removed.tenantId()).isEqualTo(ReconcileHarness.TENANT_ID);
    assertThat(removed.reason()).contains("zombie");
  }

  @Test
  void anUnclaimedContainerIsKeptWithAVolumeOrWhileYoungAndRemovedWhenOldWithout() {
    long now = 1_000_000_000L;
    harness.hostHas(
        List.of(
            new dev.sandbar.workflows.model.ListedContainer(
                "sbx-data", "", "c-data", ContainerStatus.EXITED, 0, now - 3_600_000),
            new dev.sandbar.workflows.model.ListedContainer(
                "sbx-young", "", "c-young", ContainerStatus.RUNNING, null, now - 60_000),
            new dev.sandbar.workflows.model.ListedContainer(
                "sbx-old", "", "c-old", ContainerStatus.RUNNING, null, now - 601_000)),
        List.of("sbx-data"),
        now);

    ReconcileSummary summary = harness.runOnce(ReconcileSettings.DEFAULTS);

    verify(harness.host, atLeastOnce()).removeContainer(new ContainerRef("sbx-old"));
    verify(harness.host, never()).removeContainer(new ContainerRef("sbx-data"));
    verify(harness.host, never()).removeContainer(new ContainerRef("sbx-young"));
    assertThat(summary.unclaimed()).isPositive();
    verify(harness.reconcileStore, atLeastOnce())
        .recordUnclaimed(
            HOST_ID,
            List.of(
                new UnclaimedReport("c-data", "sbx-data", true),
                new UnclaimedReport("c-young", "sbx-young", false)));
    assertThat(harness.events)
        .filteredOn(e -> e.action().equals(SystemEvent.REMOVE_UNCLAIMED))
        .extracting(SystemEvent::sandboxId)
        .containsOnly("sbx-old");
  }

  @Test
  void anUnreachableHostThatAnswersAgainIsMarkedReachable() {
    SandboxWorkflow sandbox = harness.sandbox("sbx-back", MISSING, HOST_ID);
    harness.targets = List.of(new ReconcileTarget(HOST_ID, ReconcileTarget.UNREACHABLE));
    harness.hostHas(
        List.of(container("sbx-back", ContainerStatus.RUNNING, null)), List.of("sbx-back"), 0);

    harness.runOnce(ReconcileSettings.DEFAULTS);

    harness.awaitState(sandbox, RUNNING);
    assertThat(harness.events)
        .extracting(SystemEvent::action)
        .contains(SystemEvent.HOST_REACHABLE)
        .doesNotContain(SystemEvent.HOST_UNREACHABLE);
  }

  @Test
  void aHostWhoseWorkerStartsIsReconciledAtOnce() {
    harness.targets = List.of(new ReconcileTarget(HOST_ID, ReconcileTarget.ONLINE));
    HostReconcileWorkflow reconcile = harness.reconcileStub();
    WorkflowClient.start(reconcile::reconcile, ReconcileSettings.DEFAULTS);
    eventually("the first pass", () -> harness.passStartedAtMs.size() == 1);

    harness
        .client
        .newWorkflowStub(HostReconcileWorkflow.class, HostReconcileWorkflow.WORKFLOW_ID)
        .hostStarted(HOST_ID);

    eventually("a pass for the started host", () -> harness.passStartedAtMs.size() == 2);
    assertThat(harness.passStartedAtMs.get(1) - harness.passStartedAtMs.get(0))
        .isLessThan(ReconcileSettings.DEFAULT_PASS_SECONDS * 1000);
  }
}
