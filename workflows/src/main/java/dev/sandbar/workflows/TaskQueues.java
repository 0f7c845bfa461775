package dev.sandbar.workflows;

/** Task-queue names: one shared control queue and one queue per Docker host. */
public final class TaskQueues {
  /** Workflow tasks and database activities; every worker polls it. */
  public static final String CONTROL = "sandbar-control";

  private static final String HOST_PREFIX = "sandbar-host-";

  private TaskQueues() {}

  /** The queue only the worker of {@code hostId} polls: Docker activities for that host. */
  public static String host(String hostId) {
    return HOST_PREFIX + hostId;
  }
}
