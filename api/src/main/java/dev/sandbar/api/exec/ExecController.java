package dev.sandbar.api.exec;

import dev.sandbar.api.auth.Caller;
import dev.sandbar.api.openapi.ProblemResponse;
import dev.sandbar.store.task.TaskRow;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/sandboxes/{id}")
@Tag(name = "exec", description = "Run commands in a sandbox and follow them as tasks")
record ExecController(CommandRunner commands, TaskService tasks, TaskOutputService taskOutput) {

  @PostMapping("/exec")
  @Operation(
      summary = "Run a shell command in a running sandbox",
      description =
          "With Accept: text/event-stream the same request"
              + " streams server-sent events instead: start, stdout, stderr, exit or error (see"
              + " the README, Streaming). Foreground: answers 200 with the result once the command"
              + " ends (killed at"
              + " timeoutSeconds). background=true: answers 202 with the task id at once. With"
              + " backgroundAfterSeconds: waits that long, then answers 202 while the same process"
              + " goes on in the background. A background command's end is reported to its"
              + " session's notifications. 409 when the sandbox is not running; 429 quota-exceeded"
              + " when the sandbox or its tenant already runs its quota of commands.")
  @ApiResponse(
      responseCode = "200",
      description = "The command ended",
      content = @Content(schema = @Schema(implementation = CommandResult.class)))
  @ApiResponse(
      responseCode = "202",
      description = "The command goes on in the background",
      content = @Content(schema = @Schema(implementation = CommandStarted.class)))
  @ProblemResponse(
      status = 409,
      description = "The sandbox is not running (type sandbox-not-running)")
  @ProblemResponse(
      status = 429,
      description = "The sandbox or its tenant runs its quota of commands (type quota-exceeded)")
  ResponseEntity<ExecAnswer> run(
      Caller caller,
      @PathVariable String id,
      @RequestBody(required = false) @Nullable RunCommandRequest request) {
    ExecAnswer answer = commands.run(caller.requireTenant(), id, request);
    if (answer instanceof CommandStarted started) {
      return ResponseEntity.accepted()
          .location(URI.create("/v1/sandboxes/" + id + "/tasks/" + started.taskId()))
          .body(started);
    }
    return ResponseEntity.ok(answer);
  }

  @GetMapping("/tasks")
  @Operation(summary = "List the sandbox's commands, newest first")
  TaskList list(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "only this session's commands; empty for those run without one")
          @RequestParam(required = false)
          @Nullable String sessionId,
      @Parameter(description = "running, completed, failed, killed or timed_out")
          @RequestParam(required = false)
          @Nullable String status,
      @RequestParam(required = false) @Nullable Integer limit) {
    return tasks.list(caller.requireTenant(), id, sessionId, status, limit);
  }

  @GetMapping("/tasks/{taskId}")
  @Operation(summary = "Get a command: status, exit code, output tail")
  TaskResponse get(Caller caller, @PathVariable String id, @PathVariable String taskId) {
    return tasks.get(caller.requireTenant(), id, taskId);
  }

  @GetMapping("/tasks/{taskId}/output")
  @Operation(
      summary = "Read a command's combined output from an offset",
      description = "data is Base64; read on from nextOffset. At most 1 MiB per read.")
  @ProblemResponse(
      status = 409,
      description =
          "The sandbox has no container to read a running command's output from (type invalid-state)")
  OutputResponse output(
      Caller caller,
      @PathVariable String id,
      @PathVariable String taskId,
      @RequestParam(required = false) @Nullable Long offset,
      @Parameter(description = "bytes to read, 1 to 1048576; 65536 by default")
          @RequestParam(required = false)
          @Nullable Integer limit) {
    return taskOutput.output(caller.requireTenant(), id, taskId, offset, limit);
  }

  @DeleteMapping("/tasks/{taskId}")
  @Operation(
      summary = "Kill a running command and its process tree",
      description =
          "200 with the task once its end is recorded (an ended task is answered as it is); 202"
              + " with the task still running if the kill was not confirmed within 15 s.")
  @ApiResponse(responseCode = "200", description = "The task, ended")
  @ApiResponse(responseCode = "202", description = "The task, still running: the kill goes on")
  ResponseEntity<TaskResponse> kill(
      Caller caller, @PathVariable String id, @PathVariable String taskId) {
    TaskRow task = tasks.kill(caller.requireTenant(), id, taskId);
    return ResponseEntity.status(task.isRunning() ? 202 : 200).body(TaskResponse.of(task));
  }
}
