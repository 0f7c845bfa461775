package dev.sandbar.api.admin;

import dev.sandbar.api.auth.AdminOnly;
import dev.sandbar.api.auth.ApiKeyService;
import dev.sandbar.api.openapi.ProblemResponse;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.net.URI;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

@RestController
@RequestMapping("/v1/admin")
@AdminOnly
@Tag(name = "admin", description = "Tenants and API keys; needs the admin key")
record AdminController(ApiKeyService keys) {

  @PostMapping("/tenants")
  @Operation(summary = "Create a tenant")
  @ApiResponse(
      responseCode = "201",
      description = "The tenant",
      content = @Content(schema = @Schema(implementation = TenantResponse.class)))
  @ProblemResponse(status = 409, description = "A tenant with this id exists (type conflict)")
  ResponseEntity<TenantResponse> createTenant(@RequestBody CreateTenantRequest request) {
    TenantResponse tenant = TenantResponse.of(keys.createTenant(request.id(), request.name()));
    return ResponseEntity.created(URI.create("/v1/admin/tenants/" + tenant.id())).body(tenant);
  }

  @PostMapping("/tenants/{tenantId}/keys")
  @Operation(summary = "Issue an API key for a tenant; the plain key is shown only in this answer")
  @ApiResponse(
      responseCode = "201",
      description = "The key",
      content = @Content(schema = @Schema(implementation = ApiKeyResponse.class)))
  ResponseEntity<ApiKeyResponse> issueKey(@PathVariable String tenantId) {
    return ResponseEntity.status(201).body(ApiKeyResponse.of(keys.issueKey(tenantId)));
  }

  @DeleteMapping("/keys/{keyId}")
  @Operation(summary = "Revoke an API key")
  @ApiResponse(responseCode = "204", description = "Revoked")
  ResponseEntity<Void> revokeKey(@PathVariable String keyId) {
    keys.revokeKey(keyId);
    return ResponseEntity.noContent().build();
  }
}
