package dev.sandbar.api.testworker;

import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
import dev.sandbar.activities.database.JdbiHealthStoreActivities;
import dev.sandbar.activities.database.JdbiPoolStoreActivities;
import dev.sandbar.activities.database.JdbiStoreActivities;
import dev.sandbar.activities.database.JdbiTaskStoreActivities;
import dev.sandbar.api.TestEnvironmentClients;
import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.exec.ExecWorkflowImpl;
import dev.sandbar.workflows.exec.TaskOutputWorkflowImpl;
import dev.sandbar.workflows.model.Placement;
import dev.sandbar.workflows.sandbox.SandboxWorkflowImpl;
import dev.sandbar.workflows.testing.TemporalEnvironmentExtension;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import io.temporal.worker.WorkerOptions;
import java.util.List;
import org.jdbi.v3.core.Jdbi;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

/**
 * An in-process Temporal service with a worker running the real workflows (sandbox, exec, output
 * reads) over the real store activities and in-memory stand-ins for one Docker host, so the API's
 * updates, validators, results and read models behave as in production, without Docker. The
 * stand-ins are beans, so a test can steer them (make an export fail, say).
 */
@TestConfiguration(proxyBeanMethods = false)
@Import(TestEnvironmentClients.class)
public class TestWorker {

  public static final String HOST_ID = "test-host";

  /**
   * Two more hosts with a worker each, for tests that move sandboxes between hosts. Only sandboxes
   * whose image starts with {@link #REAL_PLACEMENT_IMAGE_PREFIX} are placed on them.
   */
  public static final List<String> MOVE_HOST_IDS = List.of("test-move-host-a", "test-move-host-b");

  /**
   * A sandbox whose image starts with this is placed by the real placement (among the host rows its
   * test wrote with that image), not on {@link #HOST_ID}.
   */
  public static final String REAL_PLACEMENT_IMAGE_PREFIX = "real-placement/";

  /** The command-wait worker's options as a host worker sets them: many slots, virtual threads. */
  private static final WorkerOptions COMMAND_WAITS =
      WorkerOptions.newBuilder()
          .setMaxConcurrentActivityExecutionSize(1000)
          .setUsingVirtualThreadsOnActivityWorker(true)
          .build();

  @Bean
  InMemoryArchiveActivities inMemoryArchiveActivities() {
    return new InMemoryArchiveActivities();
  }

  @Bean
  ScriptedCommandActivities scriptedCommandActivities() {
    return new ScriptedCommandActivities();
  }

  @Bean(destroyMethod = "close")
  TestWorkflowEnvironment testWorkflowEnvironment(
      Jdbi jdbi, InMemoryArchiveActivities archives, ScriptedCommandActivities commands) {
    // As in production (worker and API): validator rejections keep their type.
    TestWorkflowEnvironment environment =
        TemporalEnvironmentExtension.newEnvironment(
            RejectionPreservingFailureConverter.DATA_CONVERTER, false);
    Worker control = environment.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(
        SandboxWorkflowImpl.class, ExecWorkflowImpl.class, TaskOutputWorkflowImpl.class);
    control.registerActivitiesImplementations(
        new OneHostStoreActivities(jdbi),
        new JdbiTaskStoreActivities(jdbi),
        new JdbiArchiveStoreActivities(jdbi),
        new JdbiHealthStoreActivities(jdbi),
        new JdbiPoolStoreActivities(jdbi));
    environment
        .newWorker(TaskQueues.host(HOST_ID))
        .registerActivitiesImplementations(new InMemoryHostActivities(), commands, archives);
    environment
        .newWorker(TaskQueues.commands(HOST_ID), COMMAND_WAITS)
        .registerActivitiesImplementations(commands);
    // One archive store for every host, as workers sharing their archive volume have.
    for (String hostId : MOVE_HOST_IDS) {
      environment
          .newWorker(TaskQueues.host(hostId))
          .registerActivitiesImplementations(new InMemoryHostActivities(), commands, archives);
      environment
          .newWorker(TaskQueues.commands(hostId))
          .registerActivitiesImplementations(commands);
    }
    environment.start();
    return environment;
  }

  /**
   * The real store, but placement answers the one host this worker serves: the other host rows the
   * tests write have no worker behind them. Placement itself is tested in activities. Sandboxes of
   * an image starting with {@link #REAL_PLACEMENT_IMAGE_PREFIX} are placed for real, on the {@link
   * #MOVE_HOST_IDS} rows their test wrote.
   */
  static final class OneHostStoreActivities extends JdbiStoreActivities {

    OneHostStoreActivities(Jdbi jdbi) {
      super(jdbi);
    }

    @Override
    public String placeSandbox(Placement placement) {
      if (placement.image() != null && placement.image().startsWith(REAL_PLACEMENT_IMAGE_PREFIX)) {
        return super.placeSandbox(placement);
      }
      return HOST_ID;
    }
  }
}
