package dev.sandbar.api.temporal;

import dev.sandbar.workflows.exec.ExecWorkflow;
import dev.sandbar.workflows.model.ExecResult;
import io.temporal.api.common.v1.WorkflowExecution;
import io.temporal.client.WorkflowStub;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One command's {@link ExecWorkflow}, as the API follows it: waits on its result, tells it nobody
 * waits any more, cancels it. Its signal goes through the typed stub; only waiting with a limit and
 * cancelling, which a typed stub cannot express, go through the untyped view of the same stub.
 */
public final class CommandExecution {

  private final ExecWorkflow workflow;

  CommandExecution(ExecWorkflow workflow) {
    this.workflow = workflow;
  }

  /**
   * The command's result, waiting at most {@code wait}.
   *
   * @throws TimeoutException when the workflow has not ended by then
   * @throws io.temporal.client.WorkflowFailedException when it ended otherwise than with a result
   */
  public ExecResult result(Duration wait) throws TimeoutException {
    return untyped().getResult(wait.toMillis(), TimeUnit.MILLISECONDS, ExecResult.class);
  }

  /** Signals the workflow that nobody waits for its answer; throws if it has ended. */
  public void detach() {
    workflow.detach();
  }

  /** Requests the workflow's cancellation, which kills the command. */
  public void cancel() {
    untyped().cancel();
  }

  public WorkflowExecution execution() {
    return untyped().getExecution();
  }

  private WorkflowStub untyped() {
    return WorkflowStub.fromTyped(workflow);
  }
}
