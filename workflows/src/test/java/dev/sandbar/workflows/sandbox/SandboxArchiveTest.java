package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.DESTROYING;
import static dev.sandbar.workflows.model.SandboxState.ERROR;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.sandbox.SandboxHarness.ARCHIVE_SHA256;
import static dev.sandbar.workflows.sandbox.SandboxHarness.ARCHIVE_SIZE;
import static dev.sandbar.workflows.sandbox.SandboxHarness.HOST_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.TENANT_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.reach;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.assertj.core.api.Assertions.tuple;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doThrow;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ArchiveFile;
import dev.sandbar.workflows.model.ArchiveInfo;
import dev.sandbar.workflows.model.ArchiveLookup;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ExportData;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.RestoreData;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.SandboxState;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.Transition;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.mockito.ArgumentCaptor;
import org.mockito.InOrder;

/**
 * Preserving destroy, snapshot and create-from-archive: the order of the copy around pause and
 * removal, and a failed export or restore leaving the sandbox as it was (or in error).
 */
class SandboxArchiveTest {

  private static final ContainerRef REF = new ContainerRef(SANDBOX_ID);
  private static final DestroyRequest PRESERVING_DESTROY =
      new DestroyRequest(Actor.USER, "done", true);

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  static Stream<SandboxState> exportableStates() {
    return Stream.of(RUNNING, PAUSED, STOPPED);
  }

  @ParameterizedTest(name = "from {0}")
  @MethodSource("exportableStates")
  void aFailedExportAbortsTheDestroyAndLeavesTheSandboxAsItWas(SandboxState from) {
    SandboxWorkflow sandbox = harness.running(spec());
    reach(sandbox, from);
    when(harness.archives.exportData(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "archive store is full", ErrorType.EXPORT_FAILED.name()));
    int writtenBefore = harness.transitions().size();

    WorkflowUpdateException aborted =
        catchThrowableOfType(
            WorkflowUpdateException.class, () -> sandbox.destroy(PRESERVING_DESTROY));

    assertThat(aborted).as("the destroy update fails").isNotNull();
    ApplicationFailure failure = (ApplicationFailure) aborted.getCause();
    assertThat(failure.getType()).isEqualTo(ErrorType.EXPORT_FAILED.name());
    assertThat(failure.getOriginalMessage())
        .isEqualTo("destroy aborted: export failed: archive store is full");
    ArgumentCaptor<ExportData> export = ArgumentCaptor.forClass(ExportData.class);
    verify(harness.archives).exportData(export.capture());
    verify(harness.archives).discardArchive(export.getValue().archiveId());
    verify(harness.host, never()).removeContainer(any());
    verify(harness.archiveStore, never()).recordArchive(any());
    if (from == RUNNING) {
      // Paused for a consistent copy, so put back running.
      InOrder order = inOrder(harness.host, harness.archives);
      order.verify(harness.host).pauseContainer(REF);
      order.verify(harness.archives).exportData(any());
      order.verify(harness.host).unpauseContainer(REF);
    } else {
      verify(harness.host, never()).unpauseContainer(any());
      verify(harness.host, times(from == PAUSED ? 1 : 0)).pauseContainer(any());
    }
    SandboxView after = sandbox.describe();
    assertThat(after.state()).isEqualTo(from);
    assertThat(after.archiveId()).isNull();
    assertThat(after.containerId()).isEqualTo(SandboxHarness.CONTAINER_ID);
    List<Transition> written =
        harness.transitions().subList(writtenBefore, harness.transitions().size());
    assertThat(written)
        .extracting(Transition::from, Transition::to, Transition::outcome)
        .containsExactly(tuple(from, DESTROYING, "ok"), tuple(DESTROYING, from, "failed"));
    assertThat(written.getLast().error()).isEqualTo(failure.getOriginalMessage());
    assertThat(written.getLast().action()).isEqualTo("destroy");
    // Nothing is left half-done: the sandbox takes the next operation as usual.
    assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, null, false)).state())
        .isEqualTo(DESTROYED);
  }

  @Test
  void aPreservingDestroyPausesExportsRecordsThenRemoves() {
    SandboxWorkflow sandbox = harness.running(spec());

    SandboxView destroyed = sandbox.destroy(PRESERVING_DESTROY);

    assertThat(destroyed.state()).isEqualTo(DESTROYED);
    ArgumentCaptor<ExportData> export = ArgumentCaptor.forClass(ExportData.class);
    ArgumentCaptor<ArchiveInfo> recorded = ArgumentCaptor.forClass(ArchiveInfo.class);
    InOrder order = inOrder(harness.host, harness.archives, harness.archiveStore);
    order.verify(harness.host).pauseContainer(REF);
    order.verify(harness.archives).exportData(export.capture());
    order.verify(harness.archiveStore).recordArchive(recorded.capture());
    order.verify(harness.host).removeContainer(REF);
    verify(harness.host, never()).unpauseContainer(any());
    String archiveId = export.getValue().archiveId();
    assertThat(archiveId).matches("ar-[0-9a-f]{20}");
    assertThat(export.getValue()).isEqualTo(new ExportData(REF, archiveId, "/data"));
    ArchiveInfo archive = recorded.getValue();
    assertThat(archive)
        .extracting(
            ArchiveInfo::archiveId,
            ArchiveInfo::sandboxId,
            ArchiveInfo::tenantId,
            ArchiveInfo::hostId,
            ArchiveInfo::sizeBytes,
            ArchiveInfo::sha256,
            ArchiveInfo::status)
        .containsExactly(
            archiveId, SANDBOX_ID, TENANT_ID, HOST_ID, ARCHIVE_SIZE, ARCHIVE_SHA256, "ready");
    assertThat(destroyed.archiveId()).isEqualTo(archiveId);
    assertThat(SandboxHarness.result(sandbox).archiveId()).isEqualTo(archiveId);
    assertThat(harness.awaitTransitionTo(DESTROYED).archiveId()).isEqualTo(archiveId);
  }

  @Test
  void aSnapshotOfARunningSandboxPausesExportsAndResumesIt() {
    SandboxWorkflow sandbox = harness.running(spec());
    int writtenBefore = harness.transitions().size();

    SandboxView snapshotted = sandbox.snapshot(new Operation(Actor.USER, "checkpoint"));

    assertThat(snapshotted.state()).isEqualTo(RUNNING);
    ArgumentCaptor<ExportData> export = ArgumentCaptor.forClass(ExportData.class);
    InOrder order = inOrder(harness.host, harness.archives, harness.archiveStore);
    order.verify(harness.host).pauseContainer(REF);
    order.verify(harness.archives).exportData(export.capture());
    order.verify(harness.archiveStore).recordArchive(any());
    order.verify(harness.host).unpauseContainer(REF);
    verify(harness.host, never()).removeContainer(any());
    assertThat(snapshotted.archiveId()).isEqualTo(export.getValue().archiveId());
    assertThat(sandbox.describe().archiveId()).isEqualTo(snapshotted.archiveId());
    Transition snapshot = harness.transitions().get(writtenBefore);
    assertThat(snapshot)
        .extracting(
            Transition::from,
            Transition::to,
            Transition::action,
            Transition::reason,
            Transition::outcome,
            Transition::archiveId)
        .containsExactly(RUNNING, RUNNING, "snapshot", "checkpoint", "ok", snapshotted.archiveId());
  }

  @ParameterizedTest(name = "from {0}")
  @MethodSource("exportableStates")
  void aSnapshotLeavesTheSandboxInItsState(SandboxState from) {
    SandboxWorkflow sandbox = harness.running(spec());
    reach(sandbox, from);

    SandboxView first = sandbox.snapshot(Operation.user());
    SandboxView second = sandbox.snapshot(Operation.user());

    assertThat(first.state()).isEqualTo(from);
    assertThat(second.state()).isEqualTo(from);
    // Every snapshot is an archive of its own.
    assertThat(second.archiveId()).isNotNull().isNotEqualTo(first.archiveId());
    verify(harness.archives, times(2)).exportData(any());
  }

  @Test
  void aFailedSnapshotResumesTheSandboxAndAnswersTheFailure() {
    SandboxWorkflow sandbox = harness.running(spec());
    when(harness.archives.exportData(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure("disk full", ErrorType.EXPORT_FAILED.name()));

    WorkflowUpdateException failed =
        catchThrowableOfType(
            WorkflowUpdateException.class, () -> sandbox.snapshot(Operation.user()));

    ApplicationFailure failure = (ApplicationFailure) failed.getCause();
    assertThat(failure.getType()).isEqualTo(ErrorType.EXPORT_FAILED.name());
    assertThat(failure.getOriginalMessage())
        .isEqualTo("snapshot aborted: export failed: disk full");
    verify(harness.host).unpauseContainer(REF);
    verify(harness.archives).discardArchive(any());
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
    assertThat(sandbox.describe().archiveId()).isNull();
  }

  @Test
  void createFromAnArchiveRestoresItBeforeTheFirstStart() {
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(restoringFrom("ar-x")));

    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(RUNNING);
    InOrder order = inOrder(harness.host, harness.archiveStore, harness.archives);
    order.verify(harness.host).createContainer(any());
    order.verify(harness.archiveStore).findArchive(new ArchiveLookup("ar-x", TENANT_ID));
    order
        .verify(harness.archives)
        .restoreData(
            new RestoreData(REF, new ArchiveFile("ar-x", ARCHIVE_SIZE, ARCHIVE_SHA256), "/data"));
    order.verify(harness.host).startContainer(REF);
  }

  @Test
  void aCorruptArchiveRemovesTheNewContainerAndLeavesErrorWithTheReason() {
    doThrow(
            ApplicationFailure.newNonRetryableFailure(
                "archive ar-x failed its checksum", ErrorType.ARCHIVE_CORRUPT.name()))
        .when(harness.archives)
        .restoreData(any());
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(restoringFrom("ar-x")));

    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(ERROR);
    assertThat(settled.error()).isEqualTo("restore failed: archive ar-x failed its checksum");
    assertThat(settled.containerId()).isNull();
    verify(harness.host).removeContainer(REF);
    verify(harness.host, never()).startContainer(any());
    // Written before the answer went out, like every other settled state.
    Transition failed = harness.transitions().getLast();
    assertThat(failed.to()).isEqualTo(ERROR);
    assertThat(failed.action()).isEqualTo("restore");
    assertThat(failed.outcome()).isEqualTo("failed");
    assertThat(failed.error()).isEqualTo(settled.error());
  }

  @Test
  void anArchiveOfAnotherTenantIsNotRestored() {
    when(harness.archiveStore.findArchive(any()))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "archive ar-x not found", ErrorType.ARCHIVE_NOT_FOUND.name()));
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(restoringFrom("ar-x")));

    SandboxView settled = sandbox.awaitSettled();

    assertThat(settled.state()).isEqualTo(ERROR);
    assertThat(settled.error()).isEqualTo("restore failed: archive ar-x not found");
    verify(harness.archives, never()).restoreData(any());
    verify(harness.host).removeContainer(REF);
    verify(harness.host, never()).startContainer(any());
    // The failed creation can still be destroyed.
    assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, null, false)).state())
        .isEqualTo(DESTROYED);
  }

  private static SandboxSpec restoringFrom(String archiveId) {
    SandboxSpec spec = spec();
    return new SandboxSpec(
        spec.image(),
        spec.command(),
        spec.env(),
        spec.labels(),
        spec.resources(),
        spec.idleTimeoutSeconds(),
        spec.idleAction(),
        spec.ttlSeconds(),
        spec.dataPath(),
        spec.networkMode(),
        archiveId,
        spec.hostLabels());
  }
}
