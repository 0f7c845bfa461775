package dev.sandbar.workflows.sandbox;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.PermanentFailures;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.activity.HostActivities;
import dev.sandbar.workflows.activity.PoolHostActivities;
import dev.sandbar.workflows.activity.PoolStoreActivities;
import dev.sandbar.workflows.model.AdoptPooled;
import dev.sandbar.workflows.model.ContainerInfo;
import dev.sandbar.workflows.model.ContainerRef;
import dev.sandbar.workflows.model.CreateContainer;
import dev.sandbar.workflows.model.PoolClaim;
import dev.sandbar.workflows.model.PoolSlot;
import dev.sandbar.workflows.pool.HostPoolWorkflow;
import io.temporal.failure.ActivityFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.Workflow;
import org.slf4j.Logger;

/**
 * A create served from the host's warm pool: claims a ready container in the read model (one
 * guarded update, so two creates never share one), tells the host's pool workflow to refill, and
 * makes the container the sandbox. Anything that goes wrong after the claim leaves no half-made
 * sandbox behind: the adopted container is removed and the caller creates one fresh.
 */
final class PooledCreate {

  /** Marks the histories in which a create may claim a pool container. */
  static final String WARM_POOL_CHANGE = "warm-pool";

  /**
   * Marks the histories whose claim is a local activity: a marker in the workflow task that decided
   * to claim, instead of an activity's three events and a workflow task of its own between the
   * claim and the adoption. A claim that keeps failing locally goes on as an activity (as a
   * transition write does), which retries as long as it takes; the claim is idempotent (a retried
   * one finds the container it took), so a claim made twice takes one container.
   */
  static final String LOCAL_CLAIM_CHANGE = "pool-claim-local";

  private static final Logger log = Workflow.getLogger(PooledCreate.class);

  private final PoolStoreActivities store =
      Workflow.newActivityStub(
          PoolStoreActivities.class, StepActivities.of(ActivityOptionsCatalog.DATABASE));

  private final PoolStoreActivities localStore =
      Workflow.newLocalActivityStub(
          PoolStoreActivities.class, ActivityOptionsCatalog.DATABASE_LOCAL);

  /**
   * The started container the pool gave the sandbox, or null when the pool had none (or the spec
   * does not fit one): the caller then creates the container as usual.
   */
  ContainerInfo claim(CreateContainer request, HostActivities host) {
    if (Workflow.getVersion(WARM_POOL_CHANGE, Workflow.DEFAULT_VERSION, 1)
            == Workflow.DEFAULT_VERSION
        || !PoolShape.fits(request.spec())) {
      return null;
    }
    PoolSlot slot =
        claimSlot(new PoolClaim(request.sandboxId(), request.hostId(), request.spec().image()));
    if (slot == null) {
      return null;
    }
    HostPoolWorkflow pool =
        Workflow.newExternalWorkflowStub(
            HostPoolWorkflow.class, WorkflowIds.hostPool(request.hostId()));
    // Not waited for: the refill is the pool's business, and a host without a pool workflow (its
    // worker has not started one yet) must not fail the create.
    Async.procedure(pool::claimed).exceptionally(noPool -> null);
    PoolHostActivities poolHost =
        Workflow.newActivityStub(
            PoolHostActivities.class,
            StepActivities.of(ActivityOptionsCatalog.containerCalls(request.hostId())));
    try {
      return poolHost.adoptPoolContainer(new AdoptPooled(slot, request));
    } catch (ActivityFailure failed) {
      log.warn(
          "pool container {} could not become sandbox {}, creating one: {}",
          slot.slotId(),
          request.sandboxId(),
          failed.getCause());
      // What was renamed already carries the sandbox's name; a fresh create must not adopt it.
      host.removeContainer(new ContainerRef(request.sandboxId()));
      return null;
    }
  }

  private PoolSlot claimSlot(PoolClaim claim) {
    if (Workflow.getVersion(LOCAL_CLAIM_CHANGE, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      return store.claimPoolContainer(claim);
    }
    return PermanentFailures.localFirst(
        () -> localStore.claimPoolContainer(claim), () -> store.claimPoolContainer(claim));
  }
}
