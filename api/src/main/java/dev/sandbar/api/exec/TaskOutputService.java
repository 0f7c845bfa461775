package dev.sandbar.api.exec;

import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.problem.Failures;
import dev.sandbar.api.problem.InvalidField;
import dev.sandbar.api.problem.ProblemType;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.api.sandbox.SandboxResponse;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.api.temporal.WorkflowProblems;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.ErrorType;
import dev.sandbar.workflows.model.ReadOutput;
import dev.sandbar.workflows.model.ReadOutputInput;
import dev.sandbar.workflows.model.SandboxState;
import io.temporal.client.WorkflowFailedException;
import io.temporal.failure.TimeoutFailure;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;

/**
 * Reads a command's log from its container, through a short workflow on the sandbox's host: the API
 * itself never talks to Docker.
 */
@Service
record TaskOutputService(TemporalGateway temporal, SandboxQueries sandboxes, TaskService tasks) {

  private static final Logger log = LoggerFactory.getLogger(TaskOutputService.class);

  static final int DEFAULT_READ_BYTES = 64 * 1024;
  static final int MAX_READ_BYTES = 1024 * 1024;

  /** Bounds one output read: a dead host fails it instead of holding the request. */
  static final Duration OUTPUT_READ_TIMEOUT = Duration.ofSeconds(60);

  /** Reads a slice of the command's log, {@code limit} bytes from {@code offset}. */
  OutputResponse output(
      String tenantId,
      String sandboxId,
      String taskId,
      @Nullable Long offset,
      @Nullable Integer limit) {
    long from = offset == null ? 0 : offset;
    int size = limit == null ? DEFAULT_READ_BYTES : limit;
    List<InvalidField> errors = new ArrayList<>();
    if (from < 0) {
      errors.add(new InvalidField("offset", "must not be negative"));
    }
    if (size < 1 || size > MAX_READ_BYTES) {
      errors.add(new InvalidField("limit", "must be between 1 and " + MAX_READ_BYTES));
    }
    if (!errors.isEmpty()) {
      throw ApiProblem.invalid(errors);
    }
    SandboxResponse sandbox = sandboxes.get(tenantId, sandboxId);
    tasks.requireTask(tenantId, sandboxId, taskId);
    if (SandboxState.DESTROYED.wire().equals(sandbox.state())) {
      throw ApiProblem.invalidState(
          "sandbox " + sandboxId + " is destroyed: the output of its commands went with it");
    }
    String hostId = sandbox.hostId();
    if (hostId == null) {
      throw ApiProblem.invalidState("sandbox " + sandboxId + " has no container");
    }
    try {
      return OutputResponse.of(
          temporal.readOutput(
              taskId,
              new ReadOutputInput(
                  hostId, new ReadOutput(new CommandRef(sandboxId, taskId), from, size)),
              OUTPUT_READ_TIMEOUT));
    } catch (WorkflowFailedException e) {
      throw outputFailure(sandboxId, taskId, hostId, e);
    }
  }

  /** What a failed read of a command's files means for the client. */
  RuntimeException outputFailure(
      String sandboxId, String taskId, String hostId, WorkflowFailedException e) {
    if (WorkflowProblems.hasType(e, ErrorType.CONTAINER_GONE)) {
      return ApiProblem.invalidState(
          "the container of sandbox "
              + sandboxId
              + " is gone, and the output of its commands with it");
    }
    if (Failures.cause(e, TimeoutFailure.class).isPresent()) {
      log.warn("reading the output of task {} on host {} timed out", taskId, hostId, e);
      return ApiProblem.unavailable(
          "host " + hostId + " did not answer in time; retry once its worker is back");
    }
    Optional<ApiProblem> known = WorkflowProblems.known(e);
    if (known.isPresent()) {
      return known.get();
    }
    log.error("reading the output of task {} failed", taskId, e);
    return ApiProblem.of(
        ProblemType.OPERATION_FAILED, "the output of task " + taskId + " could not be read");
  }
}
