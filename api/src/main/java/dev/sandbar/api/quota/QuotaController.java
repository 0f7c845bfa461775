package dev.sandbar.api.quota;

import dev.sandbar.api.auth.AdminOnly;
import dev.sandbar.api.auth.Caller;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import org.jspecify.annotations.Nullable;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

@RestController
@Tag(
    name = "quotas",
    description =
        "Per-tenant quotas: running commands per sandbox and per tenant, sandboxes and archive"
            + " bytes per tenant. Over a quota, requests answer 429 quota-exceeded naming the"
            + " quota, its limit and the current use.")
record QuotaController(QuotaService quotas) {

  @GetMapping("/v1/admin/tenants/{tenantId}/quotas")
  @AdminOnly
  @Operation(summary = "A tenant's quotas in force, its overrides and its current use")
  TenantQuotasResponse get(@PathVariable String tenantId) {
    return quotas.describe(tenantId);
  }

  @PutMapping("/v1/admin/tenants/{tenantId}/quotas")
  @AdminOnly
  @Operation(
      summary = "Replace a tenant's quota overrides",
      description =
          "Each member is a limit (0 or more) for this tenant; a member left out or null returns"
              + " to the deployment's default (SANDBAR_QUOTA_*). Takes effect for the next"
              + " request; what already runs is never stopped.")
  TenantQuotasResponse put(
      @PathVariable String tenantId, @RequestBody(required = false) @Nullable QuotaLimits body) {
    return quotas.replace(tenantId, body);
  }

  @GetMapping("/v1/quotas")
  @Operation(summary = "The calling tenant's quotas and current use")
  TenantQuotasResponse own(Caller caller) {
    return quotas.describe(caller.requireTenant());
  }
}
