package dev.sandbar.workflows.exec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.ArgumentMatchers.anyInt;
import static org.mockito.ArgumentMatchers.anyList;
import static org.mockito.ArgumentMatchers.anyLong;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;
import static org.mockito.Mockito.when;
import static org.mockito.Mockito.withSettings;

import dev.sandbar.workflows.RejectionPreservingFailureConverter;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.activity.TaskFileActivities;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.PrunableTasks;
import dev.sandbar.workflows.model.TaskFiles;
import dev.sandbar.workflows.testing.TemporalHarness;
import io.temporal.client.WorkflowOptions;
import io.temporal.failure.ApplicationFailure;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.mockito.ArgumentCaptor;

/** The pruner deletes a task's row only once its files are gone from the container. */
class TaskPrunerWorkflowTest {

  private final Harness harness = new Harness();

  @AfterEach
  void close() {
    harness.close();
  }

  @Test
  void deletesRowsOnlyOfTasksWhoseFilesAreGone() {
    when(harness.store.findPrunableTasks(anyLong(), anyInt()))
        .thenReturn(
            List.of(
                new PrunableTasks("destroyed", TemporalHarness.HOST_ID, true, List.of("t-1")),
                new PrunableTasks("running", TemporalHarness.HOST_ID, false, List.of("t-2", "t-3")),
                new PrunableTasks("stopped", TemporalHarness.HOST_ID, false, List.of("t-4")),
                new PrunableTasks("broken", TemporalHarness.HOST_ID, false, List.of("t-5")),
                new PrunableTasks("never-placed", null, false, List.of("t-6"))));
    when(harness.files.removeTaskFiles(new TaskFiles("running", List.of("t-2", "t-3"))))
        .thenReturn(true);
    when(harness.files.removeTaskFiles(new TaskFiles("stopped", List.of("t-4")))).thenReturn(false);
    when(harness.files.removeTaskFiles(new TaskFiles("broken", List.of("t-5"))))
        .thenThrow(
            ApplicationFailure.newNonRetryableFailure(
                "exec failed", ErrorType.CONTAINER_READ_LIMIT.name()));
    when(harness.store.deleteTasks(anyList()))
        .thenAnswer(call -> call.getArgument(0, List.class).size());

    int deleted = harness.prune();

    @SuppressWarnings("unchecked")
    ArgumentCaptor<List<String>> ids = ArgumentCaptor.forClass(List.class);
    verify(harness.store).deleteTasks(ids.capture());
    assertThat(ids.getValue()).containsExactlyInAnyOrder("t-1", "t-2", "t-3", "t-6");
    assertThat(deleted).isEqualTo(4);
    verify(harness.files, never()).removeTaskFiles(new TaskFiles("destroyed", List.of("t-1")));
    verify(harness.store, never()).pruneTasks(anyLong());
  }

  @Test
  void nothingDueDeletesNothing() {
    when(harness.store.findPrunableTasks(anyLong(), anyInt())).thenReturn(List.of());

    assertThat(harness.prune()).isZero();
    verify(harness.store, never()).deleteTasks(any());
  }

  private static final class Harness extends TemporalHarness {
    final TaskStoreActivities store =
        mock(TaskStoreActivities.class, withSettings().withoutAnnotations());
    final TaskFileActivities files =
        mock(TaskFileActivities.class, withSettings().withoutAnnotations());

    Harness() {
      super(RejectionPreservingFailureConverter.DATA_CONVERTER);
      controlWorker.registerWorkflowImplementationTypes(TaskPrunerWorkflowImpl.class);
      controlWorker.registerActivitiesImplementations(store);
      hostWorker.registerActivitiesImplementations(files);
      start();
    }

    int prune() {
      return client
          .newWorkflowStub(
              TaskPrunerWorkflow.class,
              WorkflowOptions.newBuilder().setTaskQueue(TaskQueues.CONTROL).build())
          .prune(86_400);
    }
  }
}
