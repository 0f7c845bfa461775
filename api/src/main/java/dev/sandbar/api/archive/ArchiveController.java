package dev.sandbar.api.archive;

import dev.sandbar.api.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1")
@Tag(name = "archives", description = "Archives of sandbox data paths, to restore sandboxes from")
record ArchiveController(ArchiveService archives) {

  @GetMapping("/archives")
  @Operation(summary = "List archives, newest first (deleted ones are not listed)")
  ArchivePage list(
      Caller caller,
      @RequestParam(required = false) @Nullable Integer limit,
      @RequestParam(required = false) @Nullable String cursor) {
    return archives.list(caller.requireTenant(), limit, cursor);
  }

  @GetMapping("/archives/{id}")
  @Operation(summary = "Get an archive")
  ArchiveResponse get(Caller caller, @PathVariable String id) {
    return archives.get(caller.requireTenant(), id);
  }

  @DeleteMapping("/archives/{id}")
  @Operation(
      summary = "Delete an archive",
      description =
          "The archive can no longer be listed or restored at once; its file is removed by a"
              + " later sweep on its host.")
  @ApiResponse(responseCode = "204", description = "Deleted")
  ResponseEntity<Void> delete(Caller caller, @PathVariable String id) {
    archives.delete(caller.requireTenant(), id);
    return ResponseEntity.noContent().build();
  }
}
