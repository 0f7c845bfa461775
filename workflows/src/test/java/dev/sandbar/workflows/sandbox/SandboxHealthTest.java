package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.model.SandboxState.STOPPING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.CONTAINER_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.HOST_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static dev.sandbar.workflows.testing.TemporalHarness.eventually;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.atLeastOnce;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.timeout;
import static org.mockito.Mockito.verify;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.Health;
import dev.sandbar.workflows.model.Healthcheck;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.RestartPolicy;
import dev.sandbar.workflows.model.SandboxHealth;
import dev.sandbar.workflows.model.SandboxSpec;
import dev.sandbar.workflows.model.Transition;
import io.temporal.client.WorkflowStub;
import io.temporal.common.WorkflowExecutionHistory;
import io.temporal.testing.WorkflowReplayer;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Health reports of reconciliation: recorded, and acted on when the restart policy says so. */
class SandboxHealthTest {

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  private static SandboxSpec withPolicy(RestartPolicy policy) {
    SandboxSpec base = spec();
    return new SandboxSpec(
        base.image(),
        base.command(),
        base.env(),
        base.labels(),
        base.resources(),
        base.idleTimeoutSeconds(),
        base.idleAction(),
        base.ttlSeconds(),
        base.dataPath(),
        base.networkMode(),
        base.restoreFrom(),
        base.hostLabels(),
        new Healthcheck(List.of("CMD-SHELL", "test ! -f /dev/shm/sick"), 1, 1, 2, 0),
        policy,
        base.readOnlyRootFilesystem(),
        base.user());
  }

  private long currentSeq() {
    return harness.transitions().getLast().seq();
  }

  private Observation health(Health health) {
    return new Observation(
        RUNNING,
        HOST_ID,
        CONTAINER_ID,
        "host reports the container " + health.wire(),
        currentSeq(),
        health);
  }

  @Test
  void anUnhealthySandboxWithRestartOnUnhealthyIsRestartedBySystem() {
    SandboxWorkflow sandbox = harness.running(withPolicy(RestartPolicy.ON_UNHEALTHY));
    long seq = currentSeq();

    sandbox.observed(health(Health.UNHEALTHY));

    // A restart is a stop and a start, every transition audited as the restart.
    Transition restarting = harness.awaitTransitionTo(STOPPING);
    assertThat(restarting.actor()).isEqualTo(Actor.SYSTEM);
    assertThat(restarting.action()).isEqualTo("restart");
    assertThat(restarting.reason()).contains("health check failing").contains("on-unhealthy");
    eventually(
        "back to running after the restart",
        () -> harness.transitions().getLast().to() == RUNNING && currentSeq() > seq + 1);
    verify(harness.healthStore, timeout(5000))
        .recordHealth(new SandboxHealth(SANDBOX_ID, seq, Health.UNHEALTHY));
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
  }

  @Test
  void aLifeWithAHealthRestartReplaysWithTheCurrentCode() throws Exception {
    SandboxWorkflow sandbox = harness.running(withPolicy(RestartPolicy.ON_UNHEALTHY));
    long seq = currentSeq();
    sandbox.observed(health(Health.UNHEALTHY));
    eventually(
        "back to running after the restart",
        () -> harness.transitions().getLast().to() == RUNNING && currentSeq() > seq + 1);
    // A report that arrives while the restart is still finishing is left to the next pass (the
    // workflow adopts reports only at rest), so report as reconciliation does: again until taken.
    for (int report = 1; ; report++) {
      sandbox.observed(health(Health.HEALTHY));
      try {
        verify(harness.healthStore, timeout(1000))
            .recordHealth(argThat(recorded -> recorded.health() == Health.HEALTHY));
        break;
      } catch (AssertionError notYet) {
        if (report == 10) {
          throw notYet;
        }
      }
    }
    sandbox.destroy(new DestroyRequest(Actor.USER, "done", false));

    WorkflowExecutionHistory history =
        harness.client.fetchHistory(WorkflowStub.fromTyped(sandbox).getExecution().getWorkflowId());
    assertThat(history.getEvents())
        .anyMatch(
            e ->
                e.hasMarkerRecordedEventAttributes()
                    && e.getMarkerRecordedEventAttributes().getMarkerName().equals("Version"));
    WorkflowReplayer.replayWorkflowExecution(history, SandboxWorkflowImpl.class);
  }

  @Test
  void anUnhealthySandboxWithoutTheRestartPolicyIsOnlyRecorded() {
    SandboxWorkflow sandbox = harness.running(withPolicy(RestartPolicy.NEVER));
    long seq = currentSeq();
    int writtenBefore = harness.transitions().size();

    sandbox.observed(health(Health.UNHEALTHY));

    verify(harness.healthStore, timeout(5000))
        .recordHealth(new SandboxHealth(SANDBOX_ID, seq, Health.UNHEALTHY));
    // A later operation runs next: no restart was queued before it.
    sandbox.stop(Operation.user());
    assertThat(harness.transitions().subList(writtenBefore, harness.transitions().size()))
        .extracting(Transition::action)
        .doesNotContain("restart")
        .contains("stop");
    assertThat(sandbox.describe().state()).isEqualTo(STOPPED);
  }

  @Test
  void aHealthyReportIsRecordedAndChangesNoState() {
    SandboxWorkflow sandbox = harness.running(withPolicy(RestartPolicy.ON_UNHEALTHY));
    long seq = currentSeq();
    int writtenBefore = harness.transitions().size();

    sandbox.observed(health(Health.HEALTHY));

    verify(harness.healthStore, timeout(5000))
        .recordHealth(new SandboxHealth(SANDBOX_ID, seq, Health.HEALTHY));
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);
    assertThat(harness.transitions()).hasSize(writtenBefore);
  }

  @Test
  void aHealthReportAboutAnOlderSeqIsIgnored() {
    SandboxWorkflow sandbox = harness.running(withPolicy(RestartPolicy.ON_UNHEALTHY));
    Observation stale =
        new Observation(RUNNING, HOST_ID, CONTAINER_ID, "old", currentSeq() - 1, Health.UNHEALTHY);

    sandbox.observed(stale);
    sandbox.stop(Operation.user());

    verify(harness.healthStore, never()).recordHealth(any());
    verify(harness.host, atLeastOnce()).stopContainer(any());
    assertThat(harness.transitions()).extracting(Transition::action).doesNotContain("restart");
  }
}
