package dev.sandbar.workflows.exec;

import dev.sandbar.workflows.ActivityOptionsCatalog;
import dev.sandbar.workflows.TaskOwner;
import dev.sandbar.workflows.WorkflowIds;
import dev.sandbar.workflows.activity.CommandActivities;
import dev.sandbar.workflows.model.AwaitCommand;
import dev.sandbar.workflows.model.CommandOutcome;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ExecInput;
import dev.sandbar.workflows.model.ExecRequest;
import dev.sandbar.workflows.model.ExecResult;
import dev.sandbar.workflows.model.Notification;
import dev.sandbar.workflows.model.RunCommand;
import dev.sandbar.workflows.model.StartCommand;
import dev.sandbar.workflows.model.TaskEnd;
import dev.sandbar.workflows.model.TaskRecord;
import dev.sandbar.workflows.model.TaskStatus;
import io.temporal.failure.ActivityFailure;
import io.temporal.failure.ApplicationFailure;
import io.temporal.failure.CanceledFailure;
import io.temporal.failure.TemporalFailure;
import io.temporal.workflow.Async;
import io.temporal.workflow.CancellationScope;
import io.temporal.workflow.Promise;
import io.temporal.workflow.SignalExternalWorkflowException;
import io.temporal.workflow.Workflow;
import io.temporal.workflow.WorkflowInit;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;

/**
 * Implementation notes: the command's limit is a workflow timer raced against the waiting activity,
 * so a worker that dies mid-command loses neither the limit nor the command. Kill is workflow
 * cancellation: it reaches the waiting activity through its heartbeat (which kills the process
 * group), and a detached scope repeats the kill in case no activity is running right then.
 */
public class ExecWorkflowImpl implements ExecWorkflow {

  private static final Logger log = Workflow.getLogger(ExecWorkflowImpl.class);

  /**
   * Cap on stdout and stderr each in a result, in bytes as the payload encodes them (the activity
   * cuts after encoding): both together stay far below 1 MiB whatever the command prints.
   */
  static final int MAX_STREAM_BYTES = 256 * 1024;

  private final ExecInput input;
  private final CommandRef ref;
  private final long startedAtMs;
  private TaskWrites writes;

  /**
   * Version of the change that moved the command wait to its own queue: histories without the
   * marker waited on the host queue and keep doing so on replay.
   */
  static final String WAIT_QUEUE_CHANGE = "command-wait-queue";

  /**
   * Version of the change that leaves stdout, stderr and the environment out of the record of a
   * command's end (the read model stores none of them, and only the first record's environment):
   * that record's payload then stays small whatever the command printed.
   */
  static final String SLIM_END_RECORD_CHANGE = "slim-end-record";

  /**
   * Version of the change that starts a command and waits for it in one activity ({@code
   * runCommand}, a short command answered by a single exec) and writes the task's rows with local
   * activities: three workflow tasks and one activity per command instead of six and five.
   * Histories without the marker replay the separate start, wait and writes; a history with it
   * implies the two changes above, so it records neither of their markers.
   */
  static final String RUN_COMMAND_CHANGE = "run-command";

  /**
   * Version of the change that records the end, the notification and the signal to the sandbox with
   * one write ({@code endTask}, which signals through the client): the workflow completes in the
   * workflow task that recorded the end, where the signal sent from the workflow cost it one more
   * to receive the signal's acknowledgement. Histories without the marker replay the separate
   * writes and the signal.
   */
  static final String END_IN_ONE_WRITE_CHANGE = "task-end-in-one-write";

  private final CommandActivities commands;
  private boolean oneActivity;
  private boolean background;
  private boolean stalled;
  private ExecResult result;

  @WorkflowInit
  public ExecWorkflowImpl(ExecInput input) {
    this.input = input;
    this.ref = new CommandRef(input.sandboxId(), input.request().taskId());
    this.startedAtMs = Workflow.currentTimeMillis();
    this.background = input.request().background();
    this.commands =
        Workflow.newActivityStub(
            CommandActivities.class, ActivityOptionsCatalog.containerCalls(input.hostId()));
  }

  @Override
  public ExecResult run(ExecInput ignored) {
    oneActivity =
        Workflow.getVersion(RUN_COMMAND_CHANGE, Workflow.DEFAULT_VERSION, 1)
            != Workflow.DEFAULT_VERSION;
    writes = new TaskWrites(oneActivity);
    record(TaskStatus.RUNNING, null);
    try {
      result = execute();
    } catch (TemporalFailure failure) {
      if (!killRequested()) {
        throw failure;
      }
      result = killed();
    }
    finish();
    return result;
  }

  @Override
  public void detach() {
    background = true;
  }

  @Override
  public ExecResult progress() {
    if (result != null) {
      return result;
    }
    return ExecOutcomes.running(ref.taskId(), startedAtMs, stalled);
  }

  private ExecResult execute() {
    ExecRequest request = input.request();
    StartCommand start =
        new StartCommand(ref, request.command(), request.cwd(), request.env(), request.stdin());
    if (!oneActivity) {
      try {
        uncancellable(() -> commands.startCommand(start));
      } catch (ActivityFailure failure) {
        if (killRequested()) {
          throw failure;
        }
        return ended(
            TaskStatus.FAILED, null, null, "could not start: " + ExecOutcomes.message(failure));
      }
      throwIfKilled();
    }
    CommandActivities waiter = waitStub();
    Promise<Void> limit = Workflow.newTimer(limit());
    // With one activity, the first wait is the run that also starts the command.
    boolean starting = oneActivity;
    while (true) {
      AtomicReference<Promise<CommandOutcome>> pending = new AtomicReference<>();
      AwaitCommand await = new AwaitCommand(ref, request.stallSeconds(), stalled, MAX_STREAM_BYTES);
      boolean first = starting;
      starting = false;
      // Detached: a kill ends the wait by killing the process group (see killed()), never by
      // cancelling this activity the moment it may be completing; only the limit cancels it.
      CancellationScope waiting =
          Workflow.newDetachedCancellationScope(
              () ->
                  pending.set(
                      first
                          ? Async.function(waiter::runCommand, new RunCommand(start, await))
                          : Async.function(waiter::awaitCommand, await)));
      waiting.run();
      try {
        Promise.anyOf(pending.get(), limit).get();
      } catch (ActivityFailure waitFailed) {
        // anyOf rethrows a failed wait: it is judged below, with the wait's own promise.
      }
      throwIfKilled();
      if (!pending.get().isCompleted()) {
        waiting.cancel();
        return timedOut();
      }
      CommandOutcome outcome;
      try {
        outcome = pending.get().get();
      } catch (ActivityFailure failure) {
        if (killRequested()) {
          throw failure;
        }
        return ended(
            TaskStatus.FAILED,
            null,
            null,
            (first && ExecOutcomes.refusedToStart(failure)
                    ? "could not start: "
                    : "lost the command: ")
                + ExecOutcomes.message(failure));
      }
      if (outcome.state() != CommandOutcome.State.STALLED) {
        return fromOutcome(outcome);
      }
      // Reported once: the next wait is told the stall is known and only returns at the end.
      stalled = true;
      record(TaskStatus.RUNNING, null);
      notify(
          "stalled",
          TaskStatus.RUNNING,
          null,
          "no new output for "
              + request.stallSeconds()
              + "s and the output ends like a prompt waiting for input; kill the task and run"
              + " the command non-interactively");
    }
  }

  /**
   * The stub of the wait, on the host's command-wait queue; a history recorded before that queue
   * existed keeps the host queue, so its replay schedules the same activity.
   */
  private CommandActivities waitStub() {
    int version =
        oneActivity ? 1 : Workflow.getVersion(WAIT_QUEUE_CHANGE, Workflow.DEFAULT_VERSION, 1);
    return Workflow.newActivityStub(
        CommandActivities.class,
        version == Workflow.DEFAULT_VERSION
            ? ActivityOptionsCatalog.commandWaitOnHostQueue(input.hostId(), limit())
            : ActivityOptionsCatalog.commandWait(input.hostId(), limit()));
  }

  private ExecResult fromOutcome(CommandOutcome outcome) {
    if (outcome.state() == CommandOutcome.State.VANISHED) {
      return ended(
          TaskStatus.KILLED,
          null,
          outcome,
          "the process ended without an exit code (killed outside Sandbar or its container"
              + " stopped)");
    }
    TaskStatus status =
        outcome.exitCode() != null && outcome.exitCode() == 0
            ? TaskStatus.COMPLETED
            : TaskStatus.FAILED;
    return ended(status, outcome.exitCode(), outcome, null);
  }

  private ExecResult timedOut() {
    String killFailure = kill();
    if (killFailure != null) {
      return ended(TaskStatus.FAILED, null, null, "timed out, and " + killFailure);
    }
    return ended(
        TaskStatus.TIMED_OUT,
        null,
        null,
        "timed out after " + limit().toSeconds() + "s; the process group was killed");
  }

  private ExecResult killed() {
    // The workflow is cancelled: run the kill in a scope of its own so it is not cancelled too.
    String[] killFailure = new String[1];
    Workflow.newDetachedCancellationScope(() -> killFailure[0] = kill()).run();
    if (killFailure[0] != null) {
      return ended(TaskStatus.FAILED, null, null, "kill requested, but " + killFailure[0]);
    }
    return ended(TaskStatus.KILLED, null, null, "killed on request");
  }

  /** Kills the process group; answers why not when that failed (a paused sandbox, say). */
  private String kill() {
    try {
      commands.killCommand(ref);
      return null;
    } catch (ActivityFailure failure) {
      return "the process group could not be killed: " + ExecOutcomes.message(failure);
    }
  }

  private ExecResult ended(
      TaskStatus status, Integer exitCode, CommandOutcome outcome, String error) {
    return new ExecResult(
        ref.taskId(),
        status,
        exitCode,
        outcome == null ? "" : outcome.stdout(),
        outcome == null ? "" : outcome.stderr(),
        outcome != null && outcome.truncated(),
        outcome == null ? null : outcome.outputTail(),
        outcome == null ? 0 : outcome.outputBytes(),
        startedAtMs,
        Workflow.currentTimeMillis(),
        stalled,
        error);
  }

  /** Records the end, notifies a background task's session and frees the sandbox's idle timer. */
  private void finish() {
    Workflow.newDetachedCancellationScope(
            () -> {
              if (Workflow.getVersion(END_IN_ONE_WRITE_CHANGE, Workflow.DEFAULT_VERSION, 1)
                  == Workflow.DEFAULT_VERSION) {
                finishWithSignal();
                return;
              }
              TaskRecord task = taskRecord(result.status(), result);
              Notification done = background ? ExecOutcomes.completion(input, result) : null;
              uncancellable(() -> writes.endTask(new TaskEnd(task, done)));
            })
        .run();
  }

  /** {@link #finish} as histories from before {@link #END_IN_ONE_WRITE_CHANGE} replay it. */
  private void finishWithSignal() {
    record(result.status(), result);
    if (background) {
      Notification done = ExecOutcomes.completion(input, result);
      uncancellable(() -> writes.recordNotification(done));
    }
    try {
      Workflow.newExternalWorkflowStub(TaskOwner.class, WorkflowIds.sandbox(input.sandboxId()))
          .taskEnded(ref.taskId());
    } catch (SignalExternalWorkflowException | ApplicationFailure gone) {
      // The sandbox is already destroyed: nobody is waiting for the signal. The SDK reports a
      // missing target as an ApplicationFailure (type ..._NOT_FOUND).
      log.info("sandbox {} is gone; task end not signalled", input.sandboxId());
    }
  }

  /**
   * Runs a short step that a kill must not cancel halfway: asking Temporal to cancel an activity
   * just as it completes gains nothing and, on the embedded test server, wedges the workflow.
   */
  private static void uncancellable(Runnable step) {
    Workflow.newDetachedCancellationScope(step).run();
  }

  private static void throwIfKilled() {
    if (killRequested()) {
      throw new CanceledFailure("killed on request");
    }
  }

  private void record(TaskStatus status, ExecResult ended) {
    TaskRecord task = taskRecord(status, ended);
    uncancellable(() -> writes.recordTask(task));
  }

  /** The task's row as it stands; an end record leaves out what the read model never stores. */
  private TaskRecord taskRecord(TaskStatus status, ExecResult ended) {
    ExecRequest request = input.request();
    boolean slim =
        ended != null
            && (oneActivity
                || Workflow.getVersion(SLIM_END_RECORD_CHANGE, Workflow.DEFAULT_VERSION, 1)
                    != Workflow.DEFAULT_VERSION);
    if (background != request.background() || slim) {
      request =
          new ExecRequest(
              request.taskId(),
              request.command(),
              request.cwd(),
              slim ? Map.of() : request.env(),
              request.timeoutSeconds(),
              request.sessionId(),
              request.description(),
              background,
              request.stallSeconds());
    }
    if (slim) {
      ended = ExecOutcomes.withoutStreams(ended);
    }
    return new TaskRecord(
        input.sandboxId(),
        input.tenantId(),
        request,
        ref.outputFile(),
        status,
        stalled,
        startedAtMs,
        ended);
  }

  private void notify(String kind, TaskStatus status, Integer exitCode, String message) {
    Notification notification = ExecOutcomes.notification(input, kind, status, exitCode, message);
    uncancellable(() -> writes.recordNotification(notification));
  }

  private Duration limit() {
    return Duration.ofSeconds(Math.max(1, input.request().timeoutSeconds()));
  }

  private static boolean killRequested() {
    return CancellationScope.current().isCancelRequested();
  }
}
