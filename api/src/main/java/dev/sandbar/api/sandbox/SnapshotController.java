package dev.sandbar.api.sandbox;

import dev.sandbar.api.archive.ArchiveResponse;
import dev.sandbar.api.archive.ArchiveService;
import dev.sandbar.api.auth.Caller;
import dev.sandbar.api.openapi.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Archiving a sandbox without destroying it: an operation of the sandbox's workflow whose answer is
 * the archive it made. Here rather than with the archives, so that only sandboxes know archives (a
 * sandbox is also created from one), never the other way round.
 */
@RestController
@Tag(name = "archives")
record SnapshotController(SandboxOperations operations, ArchiveService archives) {

  @PostMapping("/v1/sandboxes/{id}/archives")
  @Operation(
      summary = "Archive a sandbox's data path without destroying it",
      description =
          "A running sandbox is paused for a consistent copy and resumed. If the export fails the"
              + " answer is 500 export-failed and the sandbox is left as it was. 429 quota-exceeded"
              + " when the tenant's archives hold its quota of bytes.")
  @ApiResponse(
      responseCode = "201",
      description = "The archive",
      content = @Content(schema = @Schema(implementation = ArchiveResponse.class)))
  @ProblemResponse(
      status = 409,
      description = "Not in a state that can be archived (type invalid-state)")
  @ProblemResponse(
      status = 429,
      description = "The tenant's archives hold their quota of bytes (type quota-exceeded)")
  ResponseEntity<ArchiveResponse> snapshot(Caller caller, @PathVariable String id) {
    String tenantId = caller.requireTenant();
    String archiveId = operations.snapshot(tenantId, id);
    ArchiveResponse archive = archives.get(tenantId, archiveId);
    return ResponseEntity.created(URI.create("/v1/archives/" + archive.id())).body(archive);
  }
}
