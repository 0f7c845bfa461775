package dev.sandbar.worker;

import io.temporal.worker.WorkerFactoryOptions;
import io.temporal.worker.WorkerOptions;

/**
 * Slots, pollers and workflow cache of a host worker's Temporal workers (the control queue's and
 * the host queue's), read from the environment in {@link WorkerAutoConfiguration}. A value of 0
 * keeps the Temporal SDK's default, which suits a real cluster; a burst of creates on one big host
 * may want more pollers and slots.
 *
 * @param workflowPollers pollers of workflow tasks on the control queue ({@code
 *     SANDBAR_WORKER_WORKFLOW_POLLERS})
 * @param activityPollers pollers of activity tasks on each queue ({@code
 *     SANDBAR_WORKER_ACTIVITY_POLLERS})
 * @param workflowTaskSlots workflow tasks handled at once ({@code
 *     SANDBAR_WORKER_WORKFLOW_TASK_SLOTS})
 * @param activitySlots activities run at once on each queue ({@code SANDBAR_WORKER_ACTIVITY_SLOTS})
 * @param workflowCacheSize workflows kept in memory between their tasks (sticky execution; {@code
 *     SANDBAR_WORKER_WORKFLOW_CACHE})
 * @param virtualThreads run workflow code, workflow tasks and activities on virtual threads ({@code
 *     SANDBAR_WORKER_VIRTUAL_THREADS}): a cached workflow then costs no platform thread
 */
public record WorkerTuning(
    int workflowPollers,
    int activityPollers,
    int workflowTaskSlots,
    int activitySlots,
    int workflowCacheSize,
    boolean virtualThreads) {

  public WorkerTuning {
    if (workflowPollers < 0
        || activityPollers < 0
        || workflowTaskSlots < 0
        || activitySlots < 0
        || workflowCacheSize < 0) {
      throw new IllegalArgumentException(
          "SANDBAR_WORKER_* pollers, slots and cache size must not be negative");
    }
  }

  /** The factory options: the workflow cache and where workflow code runs. */
  WorkerFactoryOptions.Builder applyTo(WorkerFactoryOptions.Builder factory) {
    if (workflowCacheSize > 0) {
      factory.setWorkflowCacheSize(workflowCacheSize);
      // A cached workflow holds one of these threads; fewer than the cache would evict early.
      factory.setMaxWorkflowThreadCount(Math.max(workflowCacheSize, 600));
    }
    return factory.setUsingVirtualWorkflowThreads(virtualThreads);
  }

  /** The options of one worker: pollers, slots and threads. */
  WorkerOptions.Builder applyTo(WorkerOptions.Builder worker) {
    if (workflowPollers > 0) {
      worker.setMaxConcurrentWorkflowTaskPollers(workflowPollers);
    }
    if (activityPollers > 0) {
      worker.setMaxConcurrentActivityTaskPollers(activityPollers);
    }
    if (workflowTaskSlots > 0) {
      worker.setMaxConcurrentWorkflowTaskExecutionSize(workflowTaskSlots);
    }
    if (activitySlots > 0) {
      worker.setMaxConcurrentActivityExecutionSize(activitySlots);
      worker.setMaxConcurrentLocalActivityExecutionSize(activitySlots);
    }
    return worker
        .setUsingVirtualThreadsOnWorkflowWorker(virtualThreads)
        .setUsingVirtualThreadsOnActivityWorker(virtualThreads)
        .setUsingVirtualThreadsOnLocalActivityWorker(virtualThreads);
  }
}
