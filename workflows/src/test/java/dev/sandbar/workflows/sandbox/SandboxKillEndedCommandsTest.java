package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.model.SandboxState.STOPPED;
import static dev.sandbar.workflows.sandbox.SandboxHarness.CONTAINER_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.HOST_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.TENANT_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sandbar.workflows.model.Actor;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import dev.sandbar.workflows.model.SandboxWorkflowInput.Carried;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * Stop and destroy kill the commands their sandbox counts as running. One whose workflow has
 * already ended (its end signal still on the way) or is gone (counted by start-up recovery) must
 * not hold them up: Temporal's test server, the standalone default, never answers a cancel of such
 * a workflow, and waiting for that answer hung the operation for good.
 */
class SandboxKillEndedCommandsTest {

  /** Far above the 15 s kill grace, so only a wait without end fails. */
  private static final long BOUND_SECONDS = 120;

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void destroyEndsWhenACountedCommandHasNoWorkflow() throws Exception {
    SandboxWorkflow sandbox = harness.start(withRunningTask("t-gone"));
    assertThat(sandbox.awaitSettled().state()).isEqualTo(RUNNING);

    SandboxView destroyed =
        bounded(() -> sandbox.destroy(new DestroyRequest(Actor.USER, null, false)));

    assertThat(destroyed.state()).isEqualTo(DESTROYED);
  }

  @Test
  void stopEndsWhenACountedCommandHasNoWorkflow() throws Exception {
    SandboxWorkflow sandbox = harness.start(withRunningTask("t-gone"));
    assertThat(sandbox.awaitSettled().state()).isEqualTo(RUNNING);

    SandboxView stopped = bounded(() -> sandbox.stop(Operation.user()));

    assertThat(stopped.state()).isEqualTo(STOPPED);
  }

  private static <T> T bounded(Supplier<T> call) throws Exception {
    return CompletableFuture.supplyAsync(call).get(BOUND_SECONDS, TimeUnit.SECONDS);
  }

  /** A running sandbox as start-up recovery adopts it, counting {@code taskId} as running. */
  private SandboxWorkflowInput withRunningTask(String taskId) {
    long now = harness.env.currentTimeMillis();
    return new SandboxWorkflowInput(
        SANDBOX_ID,
        TENANT_ID,
        spec(),
        now,
        new Carried(RUNNING, HOST_ID, CONTAINER_ID, null, now, null, List.of(taskId), 1));
  }
}
