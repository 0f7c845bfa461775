package dev.sandbar.worker.recovery;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.sandbar.store.StoredJson;
import dev.sandbar.store.recovery.RecoveryDao;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import io.temporal.client.WorkflowClient;
import io.temporal.client.WorkflowExecutionAlreadyStarted;
import io.temporal.client.WorkflowOptions;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Start-up recovery's last job: gives every command still recorded as running on this host a
 * workflow again if it lost its own. The new workflow's start finds the command's task directory
 * and does not run it again (the wrapper creates that directory atomically), and its wait
 * re-attaches through the pid, log and exit files: the command keeps running, once, and its end is
 * recorded. It keeps what it was launched with, as the read model kept it: its environment, the
 * rest of its time limit (counted from its first start) and its stall detection (off once a stall
 * was reported, which is reported once). Its sandbox's workflow, adopted just before, already
 * counts it as running. Being new, the workflow waits on the host's command-wait queue ({@link
 * TaskQueues#commands}), which this host's worker polls from its start like its host queue.
 */
record TaskReattachment(WorkflowClient client, String hostId) {

  private static final Logger log = LoggerFactory.getLogger(StartupRecovery.class);

  /** Limit of a command whose row predates kept limits: the background default. */
  static final long ADOPTED_TASK_LIMIT_SECONDS = 1800;

  private static final TypeReference<Map<String, String>> ENV = new TypeReference<>() {};

  /** Returns how many commands got a new workflow. */
  int run(List<RecoveryDao.RunningTask> running) {
    int reattached = 0;
    for (RecoveryDao.RunningTask task : running) {
      ExecWorkflow workflow =
          client.newWorkflowStub(
              ExecWorkflow.class,
              WorkflowOptions.newBuilder()
                  .setWorkflowId(ExecWorkflow.workflowId(task.sandboxId(), task.id()))
                  .setTaskQueue(TaskQueues.CONTROL)
                  .build());
      try {
        WorkflowClient.start(
            workflow::run,
            new ExecInput(task.sandboxId(), task.tenantId(), hostId, request(task, Instant.now())));
        reattached++;
      } catch (WorkflowExecutionAlreadyStarted alive) {
        // Its workflow survived (a real cluster): it is still waiting on the command.
      } catch (RuntimeException e) {
        log.error("could not re-attach task {}: {}", task.id(), e.toString());
      }
    }
    return reattached;
  }

  /** The request the command was started with, as far as the read model kept it, at {@code now}. */
  static ExecRequest request(RecoveryDao.RunningTask task, Instant now) {
    return new ExecRequest(
        task.id(),
        task.command(),
        task.cwd(),
        env(task),
        remainingLimitSeconds(task, now),
        task.sessionId(),
        task.description(),
        task.background(),
        task.stalled() || task.stallSeconds() == null ? 0 : task.stallSeconds());
  }

  /**
   * What is left of the command's limit: a command whose limit ran out while nobody watched gets
   * one second, so its new workflow's timer ends it at once.
   */
  private static long remainingLimitSeconds(RecoveryDao.RunningTask task, Instant now) {
    if (task.timeoutSeconds() == null) {
      return ADOPTED_TASK_LIMIT_SECONDS;
    }
    long elapsed = Math.max(0, Duration.between(task.startedAt(), now).toSeconds());
    return Math.max(1, task.timeoutSeconds() - elapsed);
  }

  private static Map<String, String> env(RecoveryDao.RunningTask task) {
    if (task.env() == null) {
      return Map.of();
    }
    try {
      return StoredJson.read(task.env(), ENV);
    } catch (UncheckedIOException | IllegalArgumentException e) {
      log.error("environment of task {} unreadable, re-attached without it", task.id(), e);
      return Map.of();
    }
  }
}
