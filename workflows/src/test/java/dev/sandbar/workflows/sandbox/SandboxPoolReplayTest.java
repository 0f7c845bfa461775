package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.PoolSlot;
import io.temporal.api.history.v1.HistoryEvent;
import io.temporal.client.WorkflowStub;
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
 * Replays pooled creates: one recorded before the claim became a local activity (its claim an
 * activity of its own), which must keep replaying on the old path, and one of the current code.
 *
 * <p>Regenerate the current one with {@code ./mvnw -pl workflows test -Dtest=SandboxPoolReplayTest
 * -Dsandbar.regenerateHistories=true}; the old one is never rewritten.
 */
class SandboxPoolReplayTest {

  static final String CLAIM_ACTIVITY_RESOURCE =
      "histories/sandbox-pooled-create-claim-activity.json";
  static final String RESOURCE = "histories/sandbox-pooled-create.json";
  private static final String REGENERATE = "sandbar.regenerateHistories";

  @Test
  void aPooledCreateRecordedWithTheClaimAsAnActivityReplays() throws Exception {
    WorkflowExecutionHistory history =
        WorkflowExecutionHistory.fromJson(savedHistory(CLAIM_ACTIVITY_RESOURCE));
    assertThat(activityTypes(history)).contains("ClaimPoolContainer", "AdoptPoolContainer");
    assertThat(history.getLastEvent().hasWorkflowExecutionCompletedEventAttributes()).isTrue();

    WorkflowReplayer.replayWorkflowExecution(history, SandboxWorkflowImpl.class);
  }

  @Test
  void theSavedPooledCreateReplaysWithTheCurrentCode() throws Exception {
    WorkflowExecutionHistory history = WorkflowExecutionHistory.fromJson(savedHistory(RESOURCE));
    assertThat(activityTypes(history))
        .contains("AdoptPoolContainer")
        .doesNotContain("ClaimPoolContainer");
    assertThat(history.getEvents()).anyMatch(HistoryEvent::hasMarkerRecordedEventAttributes);

    WorkflowReplayer.replayWorkflowExecution(history, SandboxWorkflowImpl.class);
  }

  @Test
  void aFreshPooledCreateClaimsInItsWorkflowTaskAndReplays() throws Exception {
    WorkflowExecutionHistory history;
    try (SandboxHarness harness = new SandboxHarness()) {
      when(harness.poolStore.claimPoolContainer(any()))
          .thenReturn(new PoolSlot("slot-1", "sandbar-base:latest"));
      when(harness.poolHost.adoptPoolContainer(any()))
          .thenReturn(new ContainerInfo("c-1", ContainerStatus.RUNNING));
      SandboxWorkflow sandbox = harness.start(harness.newSandbox(SandboxPoolTest.poolable()));
      assertThat(sandbox.awaitSettled().state()).isEqualTo(RUNNING);
      assertThat(sandbox.destroy(new DestroyRequest(Actor.USER, "done", false)).state())
          .isEqualTo(DESTROYED);
      assertThat(SandboxHarness.result(sandbox).state()).isEqualTo(DESTROYED);
      history =
          harness.client.fetchHistory(
              WorkflowStub.fromTyped(sandbox).getExecution().getWorkflowId());
    }
    assertThat(activityTypes(history)).doesNotContain("ClaimPoolContainer");

    WorkflowReplayer.replayWorkflowExecution(history, SandboxWorkflowImpl.class);
    if (Boolean.getBoolean(REGENERATE)) {
      Path source = Path.of("src/test/resources").resolve(RESOURCE);
      Files.createDirectories(source.getParent());
      Files.writeString(source, history.toJson(true) + "\n", StandardCharsets.UTF_8);
    }
  }

  private static List<String> activityTypes(WorkflowExecutionHistory history) {
    return history.getEvents().stream()
        .filter(HistoryEvent::hasActivityTaskScheduledEventAttributes)
        .map(event -> event.getActivityTaskScheduledEventAttributes().getActivityType().getName())
        .toList();
  }

  private static String savedHistory(String resource) throws IOException {
    try (InputStream in =
        SandboxPoolReplayTest.class.getClassLoader().getResourceAsStream(resource)) {
      assertThat(in)
          .as("%s is missing; run with -D%s=true to write it", resource, REGENERATE)
          .isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }
}
