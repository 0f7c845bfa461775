package dev.sandbar.workflows.sandbox;

import dev.sandbar.workflows.TaskOwner;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.model.DestroyRequest;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecTicket;
import dev.sandbar.workflows.model.LifetimeChange;
import dev.sandbar.workflows.model.Observation;
import dev.sandbar.workflows.model.Operation;
import dev.sandbar.workflows.model.SandboxView;
import dev.sandbar.workflows.model.SandboxWorkflowInput;
import io.temporal.workflow.QueryMethod;
import io.temporal.workflow.SignalMethod;
import io.temporal.workflow.UpdateMethod;
import io.temporal.workflow.UpdateValidatorMethod;
import io.temporal.workflow.WorkflowInterface;
import io.temporal.workflow.WorkflowMethod;

/**
 * One workflow per sandbox, id {@code sandbox-<sandboxId>}, living as long as the sandbox: the
 * single writer of its state. Operations are updates: the validator rejects an operation that is
 * invalid in the state the sandbox will be in once the operations already accepted have run, and
 * the handler answers with the sandbox after the operation. Operations run one at a time in arrival
 * order, so no lock is needed anywhere. Its commands report their end through {@link
 * TaskOwner#taskEnded}.
 */
@WorkflowInterface
public interface SandboxWorkflow extends TaskOwner {

  static String workflowId(String sandboxId) {
    return WorkflowIds.sandbox(sandboxId);
  }

  /** Creates the sandbox (or adopts the carried one) and serves its operations until destroyed. */
  @WorkflowMethod
  SandboxView run(SandboxWorkflowInput input);

  @UpdateMethod
  SandboxView start(Operation operation);

  @UpdateValidatorMethod(updateName = "start")
  void validateStart(Operation operation);

  @UpdateMethod
  SandboxView stop(Operation operation);

  @UpdateValidatorMethod(updateName = "stop")
  void validateStop(Operation operation);

  @UpdateMethod
  SandboxView pause(Operation operation);

  @UpdateValidatorMethod(updateName = "pause")
  void validatePause(Operation operation);

  @UpdateMethod
  SandboxView resume(Operation operation);

  @UpdateValidatorMethod(updateName = "resume")
  void validateResume(Operation operation);

  /** Stop then start of the same container (its data volume and writable layer survive). */
  @UpdateMethod
  SandboxView restart(Operation operation);

  @UpdateValidatorMethod(updateName = "restart")
  void validateRestart(Operation operation);

  /** Valid from every state but destroyed, including error and the transient states. */
  @UpdateMethod
  SandboxView destroy(DestroyRequest request);

  @UpdateValidatorMethod(updateName = "destroy")
  void validateDestroy(DestroyRequest request);

  /**
   * Destroys the sandbox even while an operation is stuck (an activity retrying forever, say): the
   * step in flight is cancelled and its activities are waited for until Temporal has ended them,
   * its unlanded writes are given up (later writes carry higher sequence numbers), and the
   * container is removed through the normal destroy steps. The operation in flight and those queued
   * behind it are refused. Answers with the sandbox once the destroy has run: destroyed, or error
   * if the removal failed. Valid from every state but destroyed.
   */
  @UpdateMethod
  SandboxView forceDestroy(DestroyRequest request);

  @UpdateValidatorMethod(updateName = "forceDestroy")
  void validateForceDestroy(DestroyRequest request);

  /**
   * Waits until the sandbox has settled after creation (running, error or destroyed) and answers
   * with it. Used by {@code POST /v1/sandboxes} with {@code wait: true}.
   */
  @UpdateMethod
  SandboxView awaitSettled();

  /**
   * Starts a command in the running sandbox as a child {@code ExecWorkflow} and answers its ticket
   * once the child has started. Rejected unless the sandbox is (and will stay) running.
   */
  @UpdateMethod
  ExecTicket exec(ExecRequest request);

  @UpdateValidatorMethod(updateName = "exec")
  void validateExec(ExecRequest request);

  /**
   * Archives the data path without destroying the sandbox; the answer carries the new archive id. A
   * running sandbox is paused for the copy and resumed.
   */
  @UpdateMethod
  SandboxView snapshot(Operation operation);

  @UpdateValidatorMethod(updateName = "snapshot")
  void validateSnapshot(Operation operation);

  /**
   * Moves the sandbox to another host through preserve-and-restore: its data path is archived,
   * another host is chosen, the container is created there from the archive and put in the state it
   * was in (running, paused or stopped), and the old container is removed. When the export or the
   * placement fails the sandbox stays where and as it was, and the update fails with why.
   */
  @UpdateMethod
  SandboxView move(Operation operation);

  @UpdateValidatorMethod(updateName = "move")
  void validateMove(Operation operation);

  /**
   * Moves the end of the sandbox's lifetime (its {@code ttlSeconds}, counted from creation), which
   * the workflow's one timer serves: E2B's {@code setTimeout} and {@code connect}. Runs in turn
   * with the other operations and answers once the read model has the new lifetime. Valid unless
   * the sandbox is (or is about to be) destroyed.
   */
  @UpdateMethod
  SandboxView setLifetime(LifetimeChange change);

  @UpdateValidatorMethod(updateName = "setLifetime")
  void validateSetLifetime(LifetimeChange change);

  /** What the host really has (start-up recovery): the workflow adopts it if it differs. */
  @SignalMethod
  void observed(Observation observation);

  /** Marks activity, pushing the idle timer out. */
  @SignalMethod
  void touch();

  @QueryMethod
  SandboxView describe();
}
