package dev.sandbar.api.testworker;

import dev.sandbar.activities.database.JdbiArchiveStoreActivities;
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
        new JdbiArchiveStoreActivities(jdbi));
    environment
        .newWorker(TaskQueues.host(HOST_ID))
        .registerActivitiesImplementations(new InMemoryHostActivities(), commands, archives);
    environment.start();
    return environment;
  }

  /**
   * The real store, but placement always answers the one host this worker serves: the other host
   * rows the tests write have no worker behind them. Placement itself is tested in activities.
   */
  static final class OneHostStoreActivities extends JdbiStoreActivities {

    OneHostStoreActivities(Jdbi jdbi) {
      super(jdbi);
    }

    @Override
    public String placeSandbox(Placement placement) {
      return HOST_ID;
    }
  }
}
