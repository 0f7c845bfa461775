package dev.sandbar.workflows;

import dev.sandbar.workflows.model.ErrorType;
import io.temporal.activity.ActivityOptions;
import io.temporal.activity.LocalActivityOptions;
import io.temporal.common.RetryOptions;
import java.time.Duration;

/**
 * Every activity option in one place. The timeouts are Sandbar's grace periods: each is named for
 * what it bounds, and nothing else in the system waits by hand.
 */
public final class ActivityOptionsCatalog {

  /**
   * How long a Docker activity may wait for its host's worker to pick it up. A host whose worker is
   * gone for longer is treated as unreachable for that operation.
   */
  public static final Duration HOST_PICKUP_TIMEOUT = Duration.ofSeconds(30);

  /**
   * Upper bound of one container call (create, start, stop, pause, remove). Docker answers these in
   * well under a second; stop waits at most its own 10 s grace for the process to exit.
   */
  public static final Duration CONTAINER_CALL_TIMEOUT = Duration.ofSeconds(30);

  /** Upper bound of one database write; the retry policy rides out a database restart. */
  public static final Duration DATABASE_CALL_TIMEOUT = Duration.ofSeconds(10);

  private static final RetryOptions HOST_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(500))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(10))
          .setMaximumAttempts(5)
          .setDoNotRetry(ErrorType.permanent())
          .build();

  /**
   * Database writes retry until they land (a transition must not be lost), backing off to one
   * attempt a minute while the database is away.
   */
  private static final RetryOptions DATABASE_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(200))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofMinutes(1))
          .setDoNotRetry(ErrorType.permanent())
          .build();

  public static final ActivityOptions DATABASE =
      ActivityOptions.newBuilder()
          .setTaskQueue(TaskQueues.CONTROL)
          .setStartToCloseTimeout(DATABASE_CALL_TIMEOUT)
          .setRetryOptions(DATABASE_RETRY)
          .build();

  /**
   * Database writes run by the worker that runs the workflow, inside its workflow task: one marker
   * in the history instead of three events and a workflow task of their own. A worker that dies
   * mid-write has its workflow task retried, which writes again (every write is an upsert). Only a
   * few quick attempts: a write that keeps failing is handed to an activity with {@link #DATABASE}
   * options, which retries as long as it takes and shows among the stuck operations meanwhile.
   */
  public static final LocalActivityOptions DATABASE_LOCAL =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(DATABASE_CALL_TIMEOUT)
          .setRetryOptions(RetryOptions.newBuilder(DATABASE_RETRY).setMaximumAttempts(3).build())
          .build();

  /**
   * How long a waiting command activity may go without a heartbeat before Temporal retries it,
   * possibly on a restarted worker, which re-attaches to the same process.
   */
  public static final Duration COMMAND_HEARTBEAT_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Retries of the waiting activity: it only re-attaches, so it may retry for as long as needed.
   */
  private static final RetryOptions COMMAND_WAIT_RETRY =
      RetryOptions.newBuilder()
          .setInitialInterval(Duration.ofMillis(200))
          .setBackoffCoefficient(2.0)
          .setMaximumInterval(Duration.ofSeconds(5))
          .setDoNotRetry(ErrorType.permanent())
          .build();

  /**
   * Upper bound of one archive export or restore; they stream the whole data path, and heartbeat so
   * a dead worker is noticed long before this.
   */
  public static final Duration ARCHIVE_TRANSFER_TIMEOUT = Duration.ofMinutes(30);

  /**
   * How long the reconciliation's listing may wait for the host's worker to pick it up. A live
   * worker polls its queue continuously, so this only runs out when none is there: the host is
   * unreachable. With the default pass period of 15 s, a host that dies just after a pass is found
   * unreachable at most 15 s + 10 s = 25 s later (goal: 30 s).
   */
  public static final Duration HOST_LISTING_PICKUP_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Upper bound of the listing itself (two Docker list calls, answered in milliseconds). A worker
   * that took the task and then died, or a daemon that hangs, shows as unreachable once this runs
   * out: at most 15 s + 10 s after the last good pass.
   */
  public static final Duration HOST_LISTING_CALL_TIMEOUT = Duration.ofSeconds(10);

  /** No retry: a timed-out listing is the answer (unreachable); the next pass asks again. */
  private static final RetryOptions HOST_LISTING_RETRY =
      RetryOptions.newBuilder().setMaximumAttempts(1).build();

  /**
   * How long a metrics sample may wait for its host's worker, and take: a dashboard would rather
   * hear "host did not answer" quickly than wait out {@link #HOST_PICKUP_TIMEOUT}.
   */
  public static final Duration METRICS_SAMPLE_TIMEOUT = Duration.ofSeconds(10);

  /**
   * Recording a figure in the worker's own metrics: in memory, so one short attempt; a lost sample
   * is better than a workflow that waits for it.
   */
  public static final LocalActivityOptions METRICS_RECORD =
      LocalActivityOptions.newBuilder()
          .setStartToCloseTimeout(Duration.ofSeconds(5))
          .setRetryOptions(RetryOptions.newBuilder().setMaximumAttempts(1).build())
          .build();

  private ActivityOptionsCatalog() {}

  /** A one-shot metrics sample on one host's queue: read-only, one attempt, short timeouts. */
  public static ActivityOptions metricsSample(String hostId) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(hostId))
        .setScheduleToStartTimeout(METRICS_SAMPLE_TIMEOUT)
        .setStartToCloseTimeout(METRICS_SAMPLE_TIMEOUT)
        .setRetryOptions(HOST_LISTING_RETRY)
        .build();
  }

  /**
   * The reconciliation's listing on one host's queue: its timeouts are what decide that a host is
   * unreachable, with no heartbeat age or grace period anywhere.
   */
  public static ActivityOptions hostListing(String hostId) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(hostId))
        .setScheduleToStartTimeout(HOST_LISTING_PICKUP_TIMEOUT)
        .setStartToCloseTimeout(HOST_LISTING_CALL_TIMEOUT)
        .setRetryOptions(HOST_LISTING_RETRY)
        .build();
  }

  /** Archive export and restore on one host's queue. */
  public static ActivityOptions archiveTransfers(String hostId) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(hostId))
        .setScheduleToStartTimeout(HOST_PICKUP_TIMEOUT)
        .setStartToCloseTimeout(ARCHIVE_TRANSFER_TIMEOUT)
        .setHeartbeatTimeout(Duration.ofSeconds(30))
        .setRetryOptions(HOST_RETRY)
        .build();
  }

  /**
   * The activity that waits on a running command, on the host's own command-wait queue ({@link
   * TaskQueues#commands}). Its start-to-close is longer than the command's own limit, which the
   * workflow enforces with a timer; the heartbeat timeout is what notices a dead worker.
   */
  public static ActivityOptions commandWait(String hostId, Duration commandLimit) {
    return commandWaitOn(TaskQueues.commands(hostId), commandLimit);
  }

  /**
   * The command wait as workflows started before the command-wait queue existed schedule it: on the
   * host queue, sharing its slots with container calls. Only for their replay.
   */
  public static ActivityOptions commandWaitOnHostQueue(String hostId, Duration commandLimit) {
    return commandWaitOn(TaskQueues.host(hostId), commandLimit);
  }

  private static ActivityOptions commandWaitOn(String taskQueue, Duration commandLimit) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(taskQueue)
        .setScheduleToStartTimeout(HOST_PICKUP_TIMEOUT)
        .setStartToCloseTimeout(commandLimit.plus(Duration.ofMinutes(1)))
        .setHeartbeatTimeout(COMMAND_HEARTBEAT_TIMEOUT)
        .setRetryOptions(COMMAND_WAIT_RETRY)
        .build();
  }

  /** Container calls on one host's queue. */
  public static ActivityOptions containerCalls(String hostId) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.host(hostId))
        .setScheduleToStartTimeout(HOST_PICKUP_TIMEOUT)
        .setStartToCloseTimeout(CONTAINER_CALL_TIMEOUT)
        .setRetryOptions(HOST_RETRY)
        .build();
  }

  /**
   * Reads of a command's streams and writes to its stdin, on the host's command-wait queue (virtual
   * threads): a read waits a few seconds in the container for output, a write for the command to
   * take its input, and neither may take a slot container calls need.
   */
  public static ActivityOptions streamCalls(String hostId) {
    return ActivityOptions.newBuilder()
        .setTaskQueue(TaskQueues.commands(hostId))
        .setScheduleToStartTimeout(HOST_PICKUP_TIMEOUT)
        .setStartToCloseTimeout(CONTAINER_CALL_TIMEOUT)
        .setRetryOptions(HOST_RETRY)
        .build();
  }
}
