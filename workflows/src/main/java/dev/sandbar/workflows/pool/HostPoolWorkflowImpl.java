package dev.sandbar.workflows.pool;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.activity.PoolHostActivities;
import dev.sandbar.workflows.activity.PoolStoreActivities;
import dev.sandbar.workflows.model.PoolSettings;
import io.temporal.workflow.Workflow;
import java.time.Duration;

/**
 * Implementation notes: signals only set flags; the loop is the only code that calls activities. A
 * failed pass is logged and tried again at the next check, so a host without the image (or briefly
 * unreachable) never ends the workflow.
 */
public class HostPoolWorkflowImpl implements HostPoolWorkflow {

  /** Passes per run before continuing as new, which keeps the history short. */
  private static final int PASSES_PER_RUN = 100;

  private PoolSettings settings;
  private boolean refillAsked;

  @Override
  public void keep(PoolSettings initial) {
    if (settings == null) {
      settings = initial;
    }
    PoolStoreActivities store =
        Workflow.newActivityStub(PoolStoreActivities.class, ActivityOptionsCatalog.DATABASE);
    for (int pass = 0; pass < PASSES_PER_RUN; pass++) {
      refillAsked = false;
      PoolHostActivities host =
          Workflow.newActivityStub(
              PoolHostActivities.class, ActivityOptionsCatalog.containerCalls(settings.hostId()));
      new PoolPass(settings, host, store).run();
      Workflow.await(Duration.ofSeconds(settings.checkSeconds()), () -> refillAsked);
    }
    Workflow.await(Workflow::isEveryHandlerFinished);
    Workflow.continueAsNew(settings);
  }

  @Override
  public void claimed() {
    refillAsked = true;
  }

  @Override
  public void configure(PoolSettings changed) {
    settings = changed;
    refillAsked = true;
  }
}
