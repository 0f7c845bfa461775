package dev.sandbar.workflows.archive;

import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.withSettings;

import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.activity.ArchiveActivities;
import dev.sandbar.workflows.testing.TemporalEnvironmentExtension;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowOptions;
import io.temporal.testing.TestWorkflowEnvironment;
import io.temporal.worker.Worker;
import java.time.Duration;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

class ArchiveDeletionWorkflowTest {

  @RegisterExtension
  final TemporalEnvironmentExtension temporal = new TemporalEnvironmentExtension();

  private TestWorkflowEnvironment env;
  private ArchiveActivities archives;

  @BeforeEach
  void setUp() {
    env = temporal.environment();
    Worker control = env.newWorker(TaskQueues.CONTROL);
    control.registerWorkflowImplementationTypes(ArchiveDeletionWorkflowImpl.class);
    archives = mock(ArchiveActivities.class, withSettings().withoutAnnotations());
    env.newWorker(TaskQueues.host("h1")).registerActivitiesImplementations(archives);
    env.start();
  }

  @Test
  void removesTheFileOnItsHostOnlyAfterARestoreCouldHaveFinished() {
    ArchiveDeletionWorkflow workflow =
        env.getWorkflowClient()
            .newWorkflowStub(
                ArchiveDeletionWorkflow.class,
                WorkflowOptions.newBuilder()
                    .setWorkflowId(ArchiveDeletionWorkflow.workflowId("ar-1"))
                    .setTaskQueue(TaskQueues.CONTROL)
                    .build());
    WorkflowClient.start(
        workflow::delete, new ArchiveDeletionWorkflow.ArchiveDeletion("ar-1", "h1"));

    env.sleep(Duration.ofMinutes(29));
    verify(archives, never()).discardArchive("ar-1");

    env.sleep(Duration.ofMinutes(2));
    env.getWorkflowClient()
        .newUntypedWorkflowStub(ArchiveDeletionWorkflow.workflowId("ar-1"))
        .getResult(Void.class);
    verify(archives).discardArchive("ar-1");
  }
}
