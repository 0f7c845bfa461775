package dev.sandbar.api.exec;

import dev.sandbar.api.config.RandomIds;
import dev.sandbar.api.problem.ApiProblem;
import dev.sandbar.api.sandbox.SandboxQueries;
import dev.sandbar.api.sandbox.SandboxResponse;
import dev.sandbar.api.temporal.TemporalGateway;
import dev.sandbar.store.task.TaskRow;
import dev.sandbar.workflows.model.CommandRef;
import dev.sandbar.workflows.model.WriteStdin;
import dev.sandbar.workflows.model.WriteStdinInput;
import io.temporal.client.WorkflowFailedException;
import java.util.Base64;
import org.jspecify.annotations.Nullable;
import org.springframework.stereotype.Service;

/**
 * Writes to and closes the stdin of commands started with {@code "stdin": true}, through a short
 * workflow on the sandbox's host that runs the trusted helper against the fifo the wrapper made for
 * the command (see {@code stdin.sh}). Each request gets its own write id, recorded in the container
 * before the bytes are written, so a retried activity never writes them twice.
 */
@Service
record TaskStdinService(
    TemporalGateway temporal,
    SandboxQueries sandboxes,
    TaskService tasks,
    TaskOutputService output) {

  /** Largest write: its Base64 travels as one argument of one exec in the container. */
  static final int MAX_WRITE_BYTES = 64 * 1024;

  void write(String tenantId, String sandboxId, String taskId, @Nullable StdinRequest body) {
    if (body == null || body.data() == null) {
      throw ApiProblem.invalid("data", "must be present");
    }
    byte[] bytes = StreamEncoding.parse(body.encoding(), "encoding").decode(body.data(), "data");
    if (bytes.length > MAX_WRITE_BYTES) {
      throw ApiProblem.invalid("data", "must be at most " + MAX_WRITE_BYTES + " bytes");
    }
    send(tenantId, sandboxId, taskId, Base64.getEncoder().encodeToString(bytes), false);
  }

  void close(String tenantId, String sandboxId, String taskId) {
    send(tenantId, sandboxId, taskId, "", true);
  }

  private void send(String tenantId, String sandboxId, String taskId, String data, boolean close) {
    SandboxResponse sandbox = sandboxes.get(tenantId, sandboxId);
    TaskRow task = tasks.requireTask(tenantId, sandboxId, taskId);
    if (!task.isRunning()) {
      throw ApiProblem.invalidState("task " + taskId + " has ended (" + task.status() + ")");
    }
    String hostId = sandbox.hostId();
    if (hostId == null) {
      throw ApiProblem.invalidState("sandbox " + sandboxId + " has no container");
    }
    WriteStdin write =
        new WriteStdin(
            new CommandRef(sandboxId, taskId), RandomIds.lowerAlphanumeric("w", 20), data, close);
    try {
      temporal.writeStdin(
          taskId, new WriteStdinInput(hostId, write), TaskOutputService.OUTPUT_READ_TIMEOUT);
    } catch (WorkflowFailedException e) {
      throw output.outputFailure(sandboxId, taskId, hostId, e);
    }
  }
}
