package dev.sandbar.workflows.sandbox;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.TaskQueues;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.activity.TaskStoreActivities;
import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecTicket;
import io.temporal.api.enums.v1.ParentClosePolicy;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancelExternalWorkflowException;
import io.temporal.workflow.ChildWorkflowOptions;
import io.temporal.workflow.ExternalWorkflowStub;
import io.temporal.workflow.Workflow;
import java.time.Duration;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;

/** The sandbox's running commands: each a child {@code ExecWorkflow}, known by its task id. */
final class RunningCommands {

  private static final Logger log = Workflow.getLogger(RunningCommands.class);

  /** Cancels are requested together and bounded by the grace as a whole (see {@link #killAll}). */
  static final String CANCELS_NOT_AWAITED = "task-cancels-not-awaited";

  /**
   * Commands' workflows are started by a local activity through the client, not as children: the
   * {@code exec} update answers in the workflow task that accepted it (a child's start took one
   * more to be confirmed) and no workflow task follows a command's end. Histories without the
   * marker replay the child starts.
   */
  static final String STARTED_BY_ACTIVITY = "exec-started-by-activity";

  private static final String CANCEL_REASON = "the sandbox stops or is destroyed";

  /** How long stop and destroy wait for the commands they kill to report their end. */
  private static final Duration TASK_KILL_GRACE = Duration.ofSeconds(15);

  private final String sandboxId;
  private final String tenantId;
  private final Set<String> running = new LinkedHashSet<>();

  RunningCommands(String sandboxId, String tenantId, List<String> carried) {
    this.sandboxId = sandboxId;
    this.tenantId = tenantId;
    if (carried != null) {
      running.addAll(carried);
    }
  }

  boolean isEmpty() {
    return running.isEmpty();
  }

  boolean contains(String taskId) {
    return running.contains(taskId);
  }

  List<String> taskIds() {
    return List.copyOf(running);
  }

  /**
   * Starts the command's workflow on the host of the sandbox and answers once it has started; a
   * command that could not start is forgotten and its failure rethrown.
   */
  ExecTicket start(ExecRequest request, String hostId) {
    String workflowId = WorkflowIds.exec(sandboxId, request.taskId());
    ExecInput input = new ExecInput(sandboxId, tenantId, hostId, request);
    running.add(request.taskId());
    try {
      if (Workflow.getVersion(STARTED_BY_ACTIVITY, Workflow.DEFAULT_VERSION, 1)
          == Workflow.DEFAULT_VERSION) {
        startChild(workflowId, input);
      } else {
        Workflow.newLocalActivityStub(
                TaskStoreActivities.class, ActivityOptionsCatalog.DATABASE_LOCAL)
            .startTask(input);
      }
    } catch (TemporalFailure notStarted) {
      running.remove(request.taskId());
      throw notStarted;
    }
    return new ExecTicket(
        request.taskId(), workflowId, new CommandRef(sandboxId, request.taskId()).outputFile());
  }

  /** The start as histories from before {@link #STARTED_BY_ACTIVITY} replay it: a child. */
  private static void startChild(String workflowId, ExecInput input) {
    ExecWorkflow child =
        Workflow.newChildWorkflowStub(
            ExecWorkflow.class,
            ChildWorkflowOptions.newBuilder()
                .setWorkflowId(workflowId)
                .setTaskQueue(TaskQueues.CONTROL)
                // Commands outlive a continue-as-new of this workflow; stop and destroy cancel
                // them explicitly.
                .setParentClosePolicy(ParentClosePolicy.PARENT_CLOSE_POLICY_ABANDON)
                .build());
    Async.function(child::run, input);
    Workflow.getWorkflowExecution(child).get();
  }

  /** A command reported its end; answers whether it was still known as running. */
  boolean ended(String taskId) {
    return running.remove(taskId);
  }

  /**
   * Cancels the workflows of running commands: each kills its process group and ends {@code
   * killed}. The container stopping would end the processes anyway; cancelling also ends the
   * workflows and records why.
   */
  void killAll() {
    List<String> tasks = List.copyOf(running);
    if (Workflow.getVersion(CANCELS_NOT_AWAITED, Workflow.DEFAULT_VERSION, 1)
        == Workflow.DEFAULT_VERSION) {
      killAllAwaitingEachCancel(tasks);
      return;
    }
    // Every cancel is requested at once and none is waited for on its own: the grace below bounds
    // the whole kill. Temporal's test server never answers a cancel of a workflow that has already
    // ended (a real cluster fails it), and a command whose end signal is still on its way is in
    // that state; waiting for that answer hung stop and destroy for good.
    for (String taskId : tasks) {
      ExternalWorkflowStub command =
          Workflow.newUntypedExternalWorkflowStub(WorkflowIds.exec(sandboxId, taskId));
      Async.procedure(command::cancel, CANCEL_REASON)
          .exceptionally(
              notCancelled -> {
                log.info("task {} of sandbox {} had already ended", taskId, sandboxId);
                running.remove(taskId);
                return null;
              });
    }
    if (!running.isEmpty()) {
      Workflow.await(TASK_KILL_GRACE, running::isEmpty);
    }
    running.removeAll(tasks);
  }

  /** {@link #killAll} as workflows that started before {@link #CANCELS_NOT_AWAITED} replay it. */
  private void killAllAwaitingEachCancel(List<String> tasks) {
    for (String taskId : tasks) {
      try {
        Workflow.newUntypedExternalWorkflowStub(WorkflowIds.exec(sandboxId, taskId)).cancel();
      } catch (CancelExternalWorkflowException alreadyEnded) {
        log.info("task {} of sandbox {} had already ended", taskId, sandboxId);
        running.remove(taskId);
      }
    }
    // Let each command die by its own kill, which its workflow records as killed, before the
    // container goes away underneath it; a task that does not report in time is let go.
    int version = Workflow.getVersion("await-killed-tasks", Workflow.DEFAULT_VERSION, 1);
    if (version >= 1 && !running.isEmpty()) {
      Workflow.await(TASK_KILL_GRACE, running::isEmpty);
    }
    running.removeAll(tasks);
  }
}
