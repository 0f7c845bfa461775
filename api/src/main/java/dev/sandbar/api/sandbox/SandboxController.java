package dev.sandbar.api.sandbox;

import dev.sandbar.api.auth.Caller;
import dev.sandbar.api.openapi.ProblemResponse;
import dev.sandbar.api.problem.ApiProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import java.util.List;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/sandboxes")
@Tag(name = "sandboxes", description = "Create, inspect and operate sandboxes")
record SandboxController(
    SandboxCreation creation, SandboxQueries queries, SandboxOperations operations) {

  @PostMapping
  @Operation(
      summary = "Create a sandbox",
      description =
          "Answers at once with the sandbox in state creating, or with wait=true once it has"
              + " settled. A retry with the same Idempotency-Key answers with the same sandbox. 429"
              + " quota-exceeded when the tenant has its quota of sandboxes.")
  @ApiResponse(
      responseCode = "201",
      description = "The sandbox (state creating, or settled with wait=true)",
      content = @Content(schema = @Schema(implementation = SandboxResponse.class)))
  @ProblemResponse(
      status = 409,
      description = "restoreFrom names an archive that cannot be restored now (type invalid-state)")
  @ProblemResponse(
      status = 422,
      description =
          "With wait=true, the sandbox ended in error (create-failed, with sandboxId); or the"
              + " archive to restore from is corrupt or unsafe (archive-corrupt, archive-unsafe)")
  @ProblemResponse(
      status = 429,
      description = "The tenant has its quota of sandboxes (type quota-exceeded)")
  ResponseEntity<SandboxResponse> create(
      Caller caller,
      @RequestBody(required = false) @Nullable CreateSandboxRequest request,
      @RequestHeader(name = "Idempotency-Key", required = false) @Nullable String idempotencyKey) {
    SandboxResponse sandbox = creation.create(caller.requireTenant(), request, idempotencyKey);
    return ResponseEntity.created(URI.create("/v1/sandboxes/" + sandbox.id())).body(sandbox);
  }

  @GetMapping
  @Operation(summary = "List sandboxes, oldest first")
  SandboxPage list(
      Caller caller,
      @RequestParam(required = false) @Nullable String state,
      @Parameter(description = "key=value; repeat to require several labels")
          @RequestParam(name = "label", required = false)
          @Nullable List<String> labels,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    return queries.list(caller.requireTenant(), state, labels, limit, cursor);
  }

  @GetMapping("/{id}")
  @Operation(summary = "Get a sandbox")
  SandboxResponse get(Caller caller, @PathVariable String id) {
    return queries.get(caller.requireTenant(), id);
  }

  @PostMapping("/{id}/start")
  @Operation(summary = "Start a stopped sandbox (also from error or missing)")
  @ProblemResponse(
      status = 409,
      description = "Not in a state this operation applies to (type invalid-state)")
  SandboxResponse start(Caller caller, @PathVariable String id) {
    return operations.start(caller.requireTenant(), id);
  }

  @PostMapping("/{id}/stop")
  @Operation(summary = "Stop a running or paused sandbox")
  @ProblemResponse(
      status = 409,
      description = "Not in a state this operation applies to (type invalid-state)")
  SandboxResponse stop(Caller caller, @PathVariable String id) {
    return operations.stop(caller.requireTenant(), id);
  }

  @PostMapping("/{id}/pause")
  @Operation(summary = "Freeze a running sandbox's processes")
  @ProblemResponse(
      status = 409,
      description = "Not in a state this operation applies to (type invalid-state)")
  SandboxResponse pause(Caller caller, @PathVariable String id) {
    return operations.pause(caller.requireTenant(), id);
  }

  @PostMapping("/{id}/resume")
  @Operation(summary = "Thaw a paused sandbox")
  @ProblemResponse(
      status = 409,
      description = "Not in a state this operation applies to (type invalid-state)")
  SandboxResponse resume(Caller caller, @PathVariable String id) {
    return operations.resume(caller.requireTenant(), id);
  }

  @PostMapping("/{id}/restart")
  @Operation(summary = "Stop and start a sandbox; its data and writable layer survive")
  @ProblemResponse(
      status = 409,
      description = "Not in a state this operation applies to (type invalid-state)")
  SandboxResponse restart(Caller caller, @PathVariable String id) {
    return operations.restart(caller.requireTenant(), id);
  }

  @PostMapping("/{id}/touch")
  @Operation(summary = "Mark the sandbox as in use, pushing its idle timeout out")
  @ProblemResponse(status = 409, description = "The sandbox is destroyed (type invalid-state)")
  SandboxResponse touch(Caller caller, @PathVariable String id) {
    return operations.touch(caller.requireTenant(), id);
  }

  @DeleteMapping("/{id}")
  @Operation(
      summary = "Destroy a sandbox, optionally archiving its data path first",
      description =
          "force=true (admin key only) destroys a sandbox stuck in a transient state: the"
              + " operation in flight is abandoned once its activities have ended, and the"
              + " container is removed. Audited with actor admin and reason 'force destroy'."
              + " preserveData=true answers 429 quota-exceeded when the tenant's archives hold its"
              + " quota of bytes.")
  @ProblemResponse(
      status = 409,
      description = "In a transient state, or already destroyed (type invalid-state)")
  @ProblemResponse(
      status = 429,
      description =
          "preserveData=true and the tenant's archives hold their quota of bytes (type quota-exceeded)")
  SandboxResponse destroy(
      Caller caller,
      @PathVariable String id,
      @RequestParam(defaultValue = "false") boolean preserveData,
      @RequestParam(defaultValue = "false") boolean force) {
    if (force) {
      caller.requireAdmin();
      if (preserveData) {
        throw ApiProblem.invalid("preserveData", "cannot be combined with force");
      }
      return operations.forceDestroy(id);
    }
    return operations.destroy(caller.requireTenant(), id, preserveData);
  }

  @GetMapping("/{id}/events")
  @Operation(summary = "The sandbox's audit log, oldest first")
  SandboxEvents events(Caller caller, @PathVariable String id) {
    return queries.events(caller.requireTenant(), id);
  }
}
