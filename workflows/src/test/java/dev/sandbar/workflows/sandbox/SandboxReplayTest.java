package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.sandbox.SandboxHarness.accepted;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static dev.sandbar.workflows.sandbox.SandboxHarness.updateNames;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.doAnswer;

import dev.sandbar.workflows.exec.ExecWorkflowImpl;
import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.ExecTicket;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.model.TaskStatus;
import dev.sandbar.workflows.model.Transition;
import dev.sandbar.workflows.testing.TemporalHarness;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Replays saved histories against the current code, so a change that would break running sandboxes
 * or commands (new or reordered commands without {@code Workflow.getVersion}) fails the build: one
 * whole sandbox life, one life with a command and a snapshot, and that command's own workflow.
 *
 * <p>After an intended, versioned change, regenerate the files with {@code ./mvnw -pl workflows
 * test -Dtest=SandboxReplayTest -Dsandbar.regenerateHistories=true} and commit them.
 */
class SandboxReplayTest {

  static final String RESOURCE = "histories/sandbox-lifecycle.json";
  static final String EXEC_RESOURCE = "histories/sandbox-exec-snapshot.json";
  static final String EXEC_TASK_RESOURCE = "histories/exec-task.json";

  /** A command's workflow from before its end was signalled with the end's write. */
  static final String SIGNALLED_END_TASK_RESOURCE = "histories/exec-task-signalled-end.json";

  /** A sandbox that started its commands' workflows as children (a foreground, a background). */
  static final String CHILD_EXEC_RESOURCE = "histories/sandbox-exec-child.json";

  static final String FORCE_DESTROY_RESOURCE = "histories/sandbox-force-destroy.json";

  /**
   * Recorded before the history was slimmed: transitions written by local activities, but every
   * transition upserting the search attributes and every wake-up arming a new timer (the idle pause
   * fires after four stale timers). Not regenerated: it stands for the shape running sandboxes had.
   */
  static final String LOCAL_WRITES_RESOURCE = "histories/sandbox-lifecycle-local-writes.json";

  /** The same life in the slim shape ({@link HistoryShape}). */
  static final String SLIM_RESOURCE = "histories/sandbox-lifecycle-slim.json";

  private static final String REGENERATE = "sandbar.regenerateHistories";

  @Test
  void theSavedLifecycleHistoryReplaysWithTheCurrentCode() throws Exception {
    String json = savedHistory(RESOURCE);
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
    // Guards against a truncated or foreign file, which would replay without proving anything.
    assertThat(updateNames(history.getEvents()))
        .containsExactly("awaitSettled", "pause", "resume", "stop", "start", "destroy");
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();

    WorkflowReplayer.replayWorkflowExecutionFromResource(RESOURCE, SandboxWorkflowImpl.class);
  }

  @Test
  void theSavedLocalWritesLifecycleReplaysWithTheCurrentCode() throws Exception {
    WorkflowExecutionHistory history = savedIdleLife(LOCAL_WRITES_RESOURCE);
    assertThat(history.getEvents())
        .filteredOn(HistoryEvent::hasTimerFiredEventAttributes)
        .hasSizeGreaterThan(2);
  }

  @Test
  void theSavedSlimLifecycleReplaysWithTheCurrentCode() throws Exception {
    WorkflowExecutionHistory history = savedIdleLife(SLIM_RESOURCE);
    assertThat(history.getEvents())
        .filteredOn(HistoryEvent::hasUpsertWorkflowSearchAttributesEventAttributes)
        .hasSize(9);
  }

  /** The life both idle-life resources hold, the idle pause after the command included. */
  @Test
  void aFreshIdleLifeReplaysAndIsSavedWhenRegenerating() throws Exception {
    WorkflowExecutionHistory history;
    try (SandboxHarness harness = new SandboxHarness()) {
      SandboxWorkflow sandbox = harness.running(spec(900, IdleAction.PAUSE, 0));
      sandbox.pause(Operation.user());
      sandbox.resume(Operation.user());
      sandbox.stop(Operation.user());
      sandbox.start(Operation.user());
      ExecTicket ticket =
          sandbox.exec(new ExecRequest("t-1", "true", null, Map.of(), 600, null, null, false, 0));
      harness.client.newUntypedWorkflowStub(ticket.workflowId()).getResult(ExecResult.class);
      harness.sleepUntil(sandbox.describe().lastActivityAtMs() + 901_000);
      harness.awaitState(sandbox, PAUSED);
      assertThat(sandbox.resume(Operation.user()).state()).isEqualTo(RUNNING);
      assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, "done", false)).state())
          .isEqualTo(DESTROYED);
      assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
      history = historyOf(harness, sandbox);
    }

    replayAndKeep(SLIM_RESOURCE, history);
  }

  @Test
  void aChangeThatAddsACommandFailsTheReplay() {
    assertThatThrownBy(
            () -> WorkflowReplayer.replayWorkflowExecutionFromResource(RESOURCE, SleepsFirst.class))
        .hasMessageContaining("NonDeterministicException");
  }

  @Test
  void aFreshLifecycleReplaysAndIsSavedWhenRegenerating() throws Exception {
    WorkflowExecutionHistory history;
    try (SandboxHarness harness = new SandboxHarness()) {
      SandboxWorkflow sandbox = harness.running(spec(600, IdleAction.PAUSE, 3600));
      assertThat(sandbox.pause(Operation.user()).state()).isEqualTo(PAUSED);
      assertThat(sandbox.resume(Operation.user()).state()).isEqualTo(RUNNING);
      sandbox.touch();
      assertThat(sandbox.stop(new Operation(Actor.USER, "replay")).state()).isEqualTo(STOPPED);
      assertThat(sandbox.start(Operation.user()).state()).isEqualTo(RUNNING);
      assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, "done", false)).state())
          .isEqualTo(DESTROYED);
      assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
      history = historyOf(harness, sandbox);
    }

    replayAndKeep(RESOURCE, history);
  }

  @Test
  void theSavedExecAndSnapshotHistoryReplaysWithTheCurrentCode() throws Exception {
    WorkflowExecutionHistory history =
        savedWithUpdates(EXEC_RESOURCE, "awaitSettled", "exec", "snapshot", "destroy");
    assertThat(history.getEvents())
        .anyMatch(HistoryEvent::hasStartChildWorkflowExecutionInitiatedEventAttributes)
        .anyMatch(
            event ->
                event.hasWorkflowExecutionSignaledEventAttributes()
                    && event
                        .getWorkflowExecutionSignaledEventAttributes()
                        .getSignalName()
                        .equals("taskEnded"));
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();

    WorkflowReplayer.replayWorkflowExecutionFromResource(EXEC_RESOURCE, SandboxWorkflowImpl.class);
  }

  @Test
  void theSavedExecTaskHistoryReplaysWithTheCurrentCode() throws Exception {
    replaysExecTask(EXEC_TASK_RESOURCE, "RecordTask", "StartCommand", "AwaitCommand", "RecordTask");
  }

  @Test
  void theSavedHistoryThatStartsCommandsAsChildrenReplays() throws Exception {
    WorkflowExecutionHistory history =
        savedWithUpdates(CHILD_EXEC_RESOURCE, "awaitSettled", "exec", "exec", "destroy");
    assertThat(history.getEvents())
        .filteredOn(HistoryEvent::hasChildWorkflowExecutionCompletedEventAttributes)
        .hasSize(2);
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();

    WorkflowReplayer.replayWorkflowExecutionFromResource(
        CHILD_EXEC_RESOURCE, SandboxWorkflowImpl.class);
  }

  @Test
  void theSavedTaskHistoryThatSignalsItsEndFromTheWorkflowReplays() throws Exception {
    WorkflowExecutionHistory history = replaysExecTask(SIGNALLED_END_TASK_RESOURCE, "RunCommand");

    assertThat(history.getEvents())
        .anyMatch(HistoryEvent::hasSignalExternalWorkflowExecutionInitiatedEventAttributes);
  }

  /**
   * Replays a saved history of a command's workflow, after checking the activities it scheduled, in
   * order, and that it completed.
   */
  private static WorkflowExecutionHistory replaysExecTask(String resource, String... activities)
      throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(savedHistory(resource));
    assertThat(history.getEvents())
        .filteredOn(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .extracting(
            event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .containsExactly(activities);
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();

    WorkflowReplayer.replayWorkflowExecutionFromResource(resource, ExecWorkflowImpl.class);
    return history;
  }

  @Test
  void aFreshExecAndSnapshotLifeReplaysAndIsSavedWhenRegenerating() throws Exception {
    WorkflowExecutionHistory sandboxHistory;
    WorkflowExecutionHistory taskHistory;
    try (SandboxHarness harness = new SandboxHarness()) {
      SandboxWorkflow sandbox = harness.running(spec(600, IdleAction.PAUSE, 3600));
      ExecTicket ticket =
          sandbox.exec(
              new ExecRequest(
                  "t-replay", "make test", null, Map.of(), 600, "session-1", null, false, 0));
      ExecResult ended =
          harness.client.newUntypedWorkflowStub(ticket.workflowId()).getResult(ExecResult.class);
      assertThat(ended.status()).isEqualTo(TaskStatus.COMPLETED);
      SandboxView snapshotted = sandbox.snapshot(new Operation(Actor.USER, "replay"));
      assertThat(snapshotted.state()).isEqualTo(RUNNING);
      assertThat(snapshotted.archiveId()).isNotNull();
      assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, "done", false)).state())
          .isEqualTo(DESTROYED);
      assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
      sandboxHistory =
          harness.client.fetchHistory(
              WorkflowStub.fromTyped(sandbox).getExecution().getWorkflowId());
      taskHistory = harness.client.fetchHistory(ticket.workflowId());
    }

    WorkflowReplayer.replayWorkflowExecution(sandboxHistory, SandboxWorkflowImpl.class);
    WorkflowReplayer.replayWorkflowExecution(taskHistory, ExecWorkflowImpl.class);

    saveWhenRegenerating(EXEC_RESOURCE, sandboxHistory);
    saveWhenRegenerating(EXEC_TASK_RESOURCE, taskHistory);
  }

  @Test
  void theSavedForceDestroyHistoryReplaysWithTheCurrentCode() throws Exception {
    WorkflowExecutionHistory history =
        savedWithUpdates(FORCE_DESTROY_RESOURCE, "awaitSettled", "stop", "forceDestroy");
    assertThat(history.getEvents())
        .anyMatch(HistoryEvent::hasActivityTaskCancelRequestedEventAttributes);
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();

    WorkflowReplayer.replayWorkflowExecutionFromResource(
        FORCE_DESTROY_RESOURCE, SandboxWorkflowImpl.class);
  }

  /** A stop whose last write is refused for ever, abandoned by a force destroy. */
  @Test
  void aFreshForceDestroyReplaysAndIsSavedWhenRegenerating() throws Exception {
    WorkflowExecutionHistory history;
    try (SandboxHarness harness = new SandboxHarness()) {
      SandboxWorkflow sandbox = harness.running(spec(600, IdleAction.PAUSE, 3600));
      AtomicInteger refused = new AtomicInteger();
      doAnswer(
              invocation -> {
                if (invocation.<Transition>getArgument(0).to() == STOPPED) {
                  refused.incrementAndGet();
                  throw new IllegalStateException("refused");
                }
                return null;
              })
          .when(harness.store)
          .recordTransition(any());
      WorkflowStub.fromTyped(sandbox).startUpdate(accepted("stop"), Operation.user());
      TemporalHarness.eventually("the stopped write is retried", () -> refused.get() >= 2);
      assertThat(
              sandbox.forceDestroy(new DestroyRequest(Actor.ADMIN, "force destroy", false)).state())
          .isEqualTo(DESTROYED);
      assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
      history = historyOf(harness, sandbox);
    }

    replayAndKeep(FORCE_DESTROY_RESOURCE, history);
  }

  private static void saveWhenRegenerating(String resource, WorkflowExecutionHistory history)
      throws IOException {
    if (Boolean.getBoolean(REGENERATE)) {
      Path source = Path.of("src/test/resources").resolve(resource);
      Files.createDirectories(source.getParent());
      Files.writeString(source, history.toJson(true) + "\n", StandardCharsets.UTF_8);
    }
  }

  /** The kind of careless edit the replay exists to catch: a timer before everything else. */
  public static class SleepsFirst extends SandboxWorkflowImpl {
    @WorkflowInit
    public SleepsFirst(SandboxWorkflowInput input) {
      super(input);
    }

    @Override
    public SandboxView run(SandboxWorkflowInput input) {
      Workflow.sleep(Duration.ofSeconds(1));
      return super.run(input);
    }
  }

  private static String savedHistory(String resource) throws IOException {
    try (InputStream in = SandboxReplayTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in)
          .as("%s is missing; run with -D%s=true to write it", resource, REGENERATE)
          .isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static WorkflowExecutionHistory historyOf(
      SandboxHarness harness, SandboxWorkflow sandbox) {
    return harness.client.fetchHistory(
        WorkflowStub.fromTyped(sandbox).getExecution().getWorkflowId());
  }

  /** The new code replays what it just recorded; the history is kept when regenerating. */
  private static void replayAndKeep(String resource, WorkflowExecutionHistory history)
      throws Exception {
    WorkflowReplayer.replayWorkflowExecution(history, SandboxWorkflowImpl.class);
    saveWhenRegenerating(resource, history);
  }

  /** Replays a saved idle life (see {@link #aFreshIdleLifeReplaysAndIsSavedWhenRegenerating}). */
  private static WorkflowExecutionHistory savedIdleLife(String resource) throws Exception {
    WorkflowExecutionHistory history =
        savedWithUpdates(
            resource,
            "awaitSettled",
            "pause",
            "resume",
            "stop",
            "start",
            "exec",
            "resume",
            "destroy");
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();
    WorkflowReplayer.replayWorkflowExecutionFromResource(resource, SandboxWorkflowImpl.class);
    return history;
  }

  /** A saved history, after checking the updates it holds, in order. */
  private static WorkflowExecutionHistory savedWithUpdates(String resource, String... updates)
      throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(savedHistory(resource));
    assertThat(updateNames(history.getEvents())).containsExactly(updates);
    return history;
  }
}
