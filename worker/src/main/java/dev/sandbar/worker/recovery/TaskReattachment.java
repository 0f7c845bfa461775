package dev.sandbar.worker.recovery;

import dev.sandbar.store.recovery.RecoveryDao;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery's last job: gives every command still recorded as running on this host a
 * workflow again if it lost its own. The new workflow's start finds the command's task directory
 * and does not run it again (the wrapper creates that directory atomically), and its wait
 * re-attaches through the pid, log and exit files: the command keeps running, once, and its end is
 * recorded. Environment and limit are not kept in the read model, so an adopted command gets the
 * background limit. Being new, the workflow waits on the host's command-wait queue ({@link
 * TaskQueues#commands}), which this host's worker polls from its start like its host queue.
 */
record TaskReattachment(WorkflowClient client, Jdbi jdbi, String hostId) {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  /** Limit given to a command adopted after its workflow was lost: the background default. */
  static final long ADOPTED_TASK_LIMIT_SECONDS = 1800;

  /** Returns how many commands got a new workflow. */
  int run() {
    int reattached = 0;
    for (RecoveryDao.RunningTask task :
        jdbi.withExtension(RecoveryDao.class, dao -> dao.runningTasksOn(hostId))) {
      ExecWorkflow workflow =
          client.newWorkflowStub(
              ExecWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(ExecWorkflow.workflowId(task.sandboxId(), task.id()))
                  .setTaskQueue(TaskQueues.CONTROL)
                  .build());
      ExecRequest request =
          new ExecRequest(
              task.id(),
              task.command(),
              task.cwd(),
              Map.of(),
              ADOPTED_TASK_LIMIT_SECONDS,
              task.sessionId(),
              task.description(),
              task.background(),
              0);
      try {
        WorkflowClient.start(
            workflow::run, new ExecInput(task.sandboxId(), task.tenantId(), hostId, request));
        reattached++;
      } catch (WorkflowExecutionAlreadyStarted alive) {
        // Its workflow survived (a real cluster): it is still waiting on the command.
      } catch (RuntimeException e) {
        log.error("could not re-attach task {}: {}", task.id(), e.toString());
      }
    }
    return reattached;
  }
}
