package dev.sandbar.api.exec;

import dev.sandbar.api.auth.Caller;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.mvc.method.annotation.SseEmitter;

@RestController
@RequestMapping("/v1/sandboxes/{id}")
@Tag(name = "exec")
record TaskStreamController(TaskStreamService streams, TaskStdinService stdin) {

  private static final String EVENTS =
      " Events: start {taskId, stdoutOffset, stderrOffset}; stdout and stderr {data, offset,"
          + " nextOffset}; then exit {taskId, status, exitCode, truncated, error} or error {type,"
          + " title, status, detail}. Each event's id is <stdoutOffset>:<stderrOffset>.";

  // Left out of the document: an operation there has one set of answer types, and a generated
  // client sends them all in Accept, which would choose this stream over the JSON answer it
  // parses. The JSON exec operation's description documents this variant.
  @Hidden
  @PostMapping(value = "/exec", produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Run a shell command and stream its output as server-sent events",
      description =
          "Chosen by Accept: text/event-stream. The same request body as a foreground exec"
              + " (backgroundAfterSeconds excepted); stdout and stderr arrive apart while the"
              + " command runs. A foreground command whose stream breaks goes on in the background"
              + " and notifies its session."
              + EVENTS)
  SseEmitter execStreamed(
      Caller caller,
      @PathVariable String id,
      @Parameter(description = "utf8 (default) or base64") @RequestParam(required = false)
          @Nullable String encoding,
      @RequestBody(required = false) @Nullable RunCommandRequest request) {
    return streams.exec(caller.requireTenant(), id, request, encoding);
  }

  @GetMapping(
      value = "/tasks/{taskId}/output",
      params = "follow=true",
      produces = MediaType.TEXT_EVENT_STREAM_VALUE)
  @Operation(
      summary = "Follow a command's stdout and stderr as server-sent events",
      description =
          "From stdoutOffset and stderrOffset (or the Last-Event-ID header) until the command"
              + " ends."
              + EVENTS)
  SseEmitter follow(
      Caller caller,
      @PathVariable String id,
      @PathVariable String taskId,
      @RequestParam(required = false) @Nullable Long stdoutOffset,
      @RequestParam(required = false) @Nullable Long stderrOffset,
      @Parameter(description = "utf8 (default) or base64") @RequestParam(required = false)
          @Nullable String encoding,
      @RequestHeader(value = "Last-Event-ID", required = false) @Nullable String lastEventId) {
    return streams.follow(
        caller.requireTenant(), id, taskId, stdoutOffset, stderrOffset, lastEventId, encoding);
  }

  @PostMapping("/tasks/{taskId}/stdin")
  @Operation(
      summary = "Write to a running command's stdin",
      description =
          "Only for a command run with \"stdin\": true. data is text, or Base64 with encoding"
              + " base64; at most 64 KiB per request. 204 once written; 409 when the command has"
              + " ended, was run without stdin, or its stdin is closed.")
  ResponseEntity<Void> writeStdin(
      Caller caller,
      @PathVariable String id,
      @PathVariable String taskId,
      @RequestBody(required = false) @Nullable StdinRequest request) {
    stdin.write(caller.requireTenant(), id, taskId, request);
    return ResponseEntity.noContent().build();
  }

  @PostMapping("/tasks/{taskId}/stdin/close")
  @Operation(
      summary = "Close a running command's stdin",
      description = "The command reads end-of-file once it has read what was written. 204.")
  ResponseEntity<Void> closeStdin(
      Caller caller, @PathVariable String id, @PathVariable String taskId) {
    stdin.close(caller.requireTenant(), id, taskId);
    return ResponseEntity.noContent().build();
  }
}
