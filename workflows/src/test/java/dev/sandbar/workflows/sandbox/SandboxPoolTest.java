package dev.sandbar.workflows.sandbox;

import static dev.sandbar.workflows.model.SandboxState.RUNNING;
import static dev.sandbar.workflows.sandbox.SandboxHarness.SANDBOX_ID;
import static dev.sandbar.workflows.sandbox.SandboxHarness.container;
import static dev.sandbar.workflows.sandbox.SandboxHarness.spec;
import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.argThat;
import static org.mockito.Mockito.inOrder;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.times;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;

import dev.sandbar.workflows.model.AdoptPooled;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.ContainerStatus;
import dev.sandbar.workflows.model.IdleAction;
import dev.sandbar.workflows.model.PoolClaim;
import dev.sandbar.workflows.model.PoolSlot;
import dev.sandbar.workflows.model.Resources;
import dev.sandbar.workflows.model.SandboxSpec;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.InOrder;

/** A create served by the host's warm pool, and the creates it must leave alone. */
class SandboxPoolTest {

  private static final PoolSlot SLOT = new PoolSlot("slot-1", "sandbar-base:latest");

  private final SandboxHarness harness = new SandboxHarness();

  @AfterEach
  void closeHarness() {
    harness.close();
  }

  @Test
  void aFittingCreateClaimsAPoolContainerInsteadOfCreatingOne() {
    when(harness.poolStore.claimPoolContainer(any())).thenReturn(SLOT);
    when(harness.poolHost.adoptPoolContainer(any())).thenReturn(container(ContainerStatus.RUNNING));

    SandboxWorkflow sandbox = harness.start(harness.newSandbox(poolable()));

    assertThat(sandbox.awaitSettled().state()).isEqualTo(RUNNING);
    verify(harness.poolStore)
        .claimPoolContainer(
            new PoolClaim(SANDBOX_ID, SandboxHarness.HOST_ID, "sandbar-base:latest"));
    verify(harness.poolHost).adoptPoolContainer(any(AdoptPooled.class));
    verify(harness.host, never()).createContainer(any());
    verify(harness.host, never()).startContainer(any());
  }

  @Test
  void aClaimThatKeepsFailingInTheWorkflowTaskGoesOnAsAnActivity() {
    // The local claim's three attempts fail (a database outage); the activity's first lands.
    when(harness.poolStore.claimPoolContainer(any()))
        .thenThrow(new IllegalStateException("database down"))
        .thenThrow(new IllegalStateException("database down"))
        .thenThrow(new IllegalStateException("database down"))
        .thenReturn(SLOT);
    when(harness.poolHost.adoptPoolContainer(any())).thenReturn(container(ContainerStatus.RUNNING));

    SandboxWorkflow sandbox = harness.start(harness.newSandbox(poolable()));

    assertThat(sandbox.awaitSettled().state()).isEqualTo(RUNNING);
    verify(harness.poolStore, times(4)).claimPoolContainer(any());
    verify(harness.poolHost).adoptPoolContainer(argThat(adopt -> SLOT.equals(adopt.slot())));
    verify(harness.host, never()).createContainer(any());
  }

  @Test
  void aFailedAdoptionRemovesTheHalfMadeContainerAndCreatesAFreshOne() {
    when(harness.poolStore.claimPoolContainer(any())).thenReturn(SLOT);
    when(harness.poolHost.adoptPoolContainer(any()))
        .thenThrow(ApplicationFailure.newNonRetryableFailure("gone", "CONTAINER_GONE"));

    SandboxWorkflow sandbox = harness.start(harness.newSandbox(poolable()));

    assertThat(sandbox.awaitSettled().state()).isEqualTo(RUNNING);
    InOrder order = inOrder(harness.host);
    order.verify(harness.host).removeContainer(new ContainerRef(SANDBOX_ID));
    order.verify(harness.host).createContainer(any());
    order.verify(harness.host).startContainer(any());
  }

  @Test
  void anEmptyPoolMeansAFreshCreate() {
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(poolable()));

    assertThat(sandbox.awaitSettled().state()).isEqualTo(RUNNING);
    verify(harness.poolHost, never()).adoptPoolContainer(any());
    verify(harness.host).createContainer(any());
  }

  @Test
  void aSpecWithItsOwnCommandNeverAsksThePool() {
    SandboxWorkflow sandbox = harness.start(harness.newSandbox(spec()));

    assertThat(sandbox.awaitSettled().state()).isEqualTo(RUNNING);
    verify(harness.poolStore, never()).claimPoolContainer(any());
  }

  /** What a pool container can become: the image's command, the default data path, a tenant net. */
  static SandboxSpec poolable() {
    return new SandboxSpec(
        "sandbar-base:latest",
        List.of(),
        Map.of("LANG", "C.UTF-8"),
        Map.of(),
        Resources.DEFAULT,
        0,
        IdleAction.PAUSE,
        0,
        "/data",
        "isolated",
        null,
        List.of());
  }
}
