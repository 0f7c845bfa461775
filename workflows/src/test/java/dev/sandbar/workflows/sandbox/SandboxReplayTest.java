package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
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
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Replays a saved history of one whole sandbox life against the current {@link
 * SandboxWorkflowImpl}, so a change that would break running sandboxes (new or reordered commands
 * without {@code Workflow.getVersion}) fails the build.
 *
 * <p>After an intended, versioned change, regenerate the file with {@code ./mvnw -pl workflows test
 * -Dtest=SandboxReplayTest -Dsandbar.regenerateHistories=true} and commit it.
 */
class SandboxReplayTest {

  static final String RESOURCE = "histories/sandbox-lifecycle.json";
  private static final Path SOURCE = Path.of("src/test/resources").resolve(RESOURCE);
  private static final String REGENERATE = "sandbar.regenerateHistories";

  @Test
  void theSavedLifecycleHistoryReplaysWithTheCurrentCode() throws Exception {
    String json = savedHistory();
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(json);
    // Guards against a truncated or foreign file, which would replay without proving anything.
    assertThat(updateNames(history.getEvents()))
        .containsExactly("awaitSettled", "pause", "resume", "stop", "start", "destroy");
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();

    WorkflowReplayer.replayWorkflowExecutionFromResource(RESOURCE, SandboxWorkflowImpl.class);
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
      history =
          harness.client.fetchHistory(
              WorkflowStub.fromTyped(sandbox).getExecution().getWorkflowId());
    }

    WorkflowReplayer.replayWorkflowExecution(history, SandboxWorkflowImpl.class);

    if (Boolean.getBoolean(REGENERATE)) {
      Files.createDirectories(SOURCE.getParent());
      Files.writeString(SOURCE, history.toJson(true) + "\n", StandardCharsets.UTF_8);
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

  private static String savedHistory() throws IOException {
    try (InputStream in = SandboxReplayTest.class.getClassLoader().getResourceAsStream(RESOURCE)) {
      assertThat(in)
          .as("%s is missing; run with -D%s=true to write it", RESOURCE, REGENERATE)
          .isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  private static List<String> updateNames(List<HistoryEvent> events) {
    return events.stream()
        .filter(HistoryEvent::hasWorkflowExecutionUpdateAcceptedEventAttributes)
        .map(
            event ->
                event
                    .getWorkflowExecutionUpdateAcceptedEventAttributes()
                    .getAcceptedRequest()
                    .getInput()
                    .getName())
        .toList();
  }
}
