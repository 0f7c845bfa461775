package dev.sandbar.standalone.bench;

import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.model.PoolSettings;
import dev.sandbar.workflows.pool.HostPoolWorkflow;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The bench system's warm pool, as the pooled scenarios use it: empty while the other scenarios run
 * (so their creates are fresh ones), resized through the host's pool workflow (what a worker
 * started with other settings sends), and awaited before each pooled create so every timed create
 * meets a ready container, the steady state of a pool sized for its load. The refill is not timed.
 */
final class WarmPool implements LatencyScenarios.CreateHooks {

  private static final Duration READY_BOUND = Duration.ofSeconds(120);

  private final BenchSystem system;
  private int hits;
  private int misses;

  WarmPool(BenchSystem system) {
    this.system = system;
  }

  void resize(int size) {
    String image = system.property("sandbar.default-image", "sandbar-base:latest");
    system
        .temporal()
        .newWorkflowStub(HostPoolWorkflow.class, WorkflowIds.hostPool(BenchSystem.HOST_ID))
        .configure(new PoolSettings(BenchSystem.HOST_ID, image, size, 1));
  }

  @Override
  public void beforeCreate() {
    long deadline = System.nanoTime() + READY_BOUND.toNanos();
    while (ready() == 0) {
      if (System.nanoTime() > deadline) {
        throw new IllegalStateException("no pool container became ready in " + READY_BOUND);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException(e);
      }
    }
  }

  @Override
  public void created(String sandboxId) {
    boolean claimed =
        system
                .jdbi()
                .withHandle(
                    h ->
                        h.createQuery("select count(*) from pool_containers where sandbox_id = :id")
                            .bind("id", sandboxId)
                            .mapTo(Integer.class)
                            .one())
            > 0;
    if (claimed) {
      hits++;
    } else {
      misses++;
    }
  }

  @Override
  public Map<String, Object> extra() {
    Map<String, Object> extra = new LinkedHashMap<>();
    extra.put("pool_hits", hits);
    extra.put("pool_misses", misses);
    hits = 0;
    misses = 0;
    return extra;
  }

  private int ready() {
    return system
        .jdbi()
        .withHandle(
            h ->
                h.createQuery(
                        "select count(*) from pool_containers"
                            + " where host_id = :host and state = 'ready'")
                    .bind("host", BenchSystem.HOST_ID)
                    .mapTo(Integer.class)
                    .one());
  }
}
