package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.DESTROYED;
import static dev.sandbar.workflows.model.SandboxState.DESTROYING;
import static dev.sandbar.workflows.model.SandboxState.PAUSED;
import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.LifetimeChange;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxLifetime;
import dev.sandbar.workflows.model.SandboxView;
import io.temporal.client.WorkflowUpdateException;
import io.temporal.failure.ApplicationFailure;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Moving the end of a sandbox's lifetime (E2B's setTimeout and connect), on a skipped clock. */
class SandboxLifetimeTest {

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aNewLifetimeCountsFromNowAndTheOneTimerServesIt() {
    SandboxWorkflow sandbox = harness.running(spec(0, IdleAction.PAUSE, 300));
    long createdAt = sandbox.describe().createdAtMs();
    harness.sleepUntil(createdAt + 100_000);

    SandboxView changed = sandbox.setLifetime(new LifetimeChange(600, false));

    // 100 s old (a little more: the clock also runs in real time) plus 600 s from now.
    long ttl = changed.spec().ttlSeconds();
    assertThat(ttl).isBetween(700L, 705L);
    verify(harness.store).recordLifetime(new SandboxLifetime(SANDBOX_ID, ttl));
    harness.sleepUntil(createdAt + 400_000);
    assertThat(sandbox.describe().state()).isEqualTo(RUNNING);

    SandboxView last = SandboxHarness.result(sandbox);
    assertThat(last.state()).isEqualTo(DESTROYED);
    assertThat(harness.awaitTransitionTo(DESTROYING).atMs() - createdAt)
        .isBetween(ttl * 1000, ttl * 1000 + 5_000);
    assertThat(harness.awaitTransitionTo(DESTROYED).reason())
        .isEqualTo("maximum lifetime of " + ttl + "s reached");
  }

  @Test
  void aShorterLifetimeEndsThePausedSandboxSooner() {
    SandboxWorkflow sandbox = harness.running(spec(0, IdleAction.PAUSE, 3_600));
    sandbox.pause(Operation.user());
    long changedAt = harness.env.currentTimeMillis();

    assertThat(sandbox.setLifetime(new LifetimeChange(10, false)).state()).isEqualTo(PAUSED);

    SandboxHarness.result(sandbox);
    assertThat(harness.awaitTransitionTo(DESTROYING).atMs() - changedAt).isBetween(9_000L, 15_000L);
  }

  @Test
  void anExtensionNeverShortensALifetime() {
    SandboxWorkflow sandbox = harness.running(spec(0, IdleAction.PAUSE, 300));

    assertThat(sandbox.setLifetime(new LifetimeChange(10, true)).spec().ttlSeconds())
        .isEqualTo(300);
    verify(harness.store, never()).recordLifetime(any());
    assertThat(sandbox.setLifetime(new LifetimeChange(400, true)).spec().ttlSeconds())
        .isBetween(400L, 405L);
  }

  @Test
  void anExtensionLeavesAnUnlimitedLifetimeUnlimited() {
    SandboxWorkflow sandbox = harness.running(spec());

    assertThat(sandbox.setLifetime(new LifetimeChange(10, true)).spec().ttlSeconds()).isZero();
    verify(harness.store, never()).recordLifetime(any());
  }

  @Test
  void aLifetimeEndingNowOrEarlierIsRefused() {
    SandboxWorkflow sandbox = harness.running(spec(0, IdleAction.PAUSE, 300));

    WorkflowUpdateException refused =
        catchThrowableOfType(
            WorkflowUpdateException.class, () -> sandbox.setLifetime(new LifetimeChange(0, false)));

    assertThat(((ApplicationFailure) refused.getCause()).getOriginalMessage())
        .isEqualTo("a lifetime must end at least 1 s from now");
    verify(harness.store, never()).recordLifetime(any());
  }
}
