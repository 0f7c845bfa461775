package dev.sandbar.workflows;

/**
 * Task-queue names: one shared control queue, and per Docker host one queue for container calls and
 * one for the long waits on running commands.
 */
public final class TaskQueues {
  /** Workflow tasks and database activities; every worker polls it. */
  public static final String CONTROL = "sandbar-control";

  private static final String HOST_PREFIX = "sandbar-host-";

  private static final String COMMANDS_SUFFIX = "-commands";

  private TaskQueues() {}

  /** The queue only the worker of {@code hostId} polls: Docker activities for that host. */
  public static String host(String hostId) {
    return HOST_PREFIX + hostId;
  }

  /**
   * The queue of {@code hostId}'s command waits ({@code sandbar-host-<hostId>-commands}), served by
   * a worker of its own with its own slots: however many commands wait for up to their limit,
   * create, stop, kill and destroy on {@link #host} always find a free slot.
   */
  public static String commands(String hostId) {
    return host(hostId) + COMMANDS_SUFFIX;
  }
}
